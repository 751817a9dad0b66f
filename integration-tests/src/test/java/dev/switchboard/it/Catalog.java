package dev.switchboard.it;

import dev.switchboard.discovery.consul.testing.ConsulAgent;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Registers service instances on the real agent through its HTTP API, the way a deploy tool or a
 * service's own registration would: {@code urlprefix-} tags and a TTL check named
 * {@code service:<id>}, so a test flips health with {@link #pass} and {@link #fail}.
 */
final class Catalog {

    private final ConsulAgent agent;

    Catalog(ConsulAgent agent) {
        this.agent = agent;
    }

    /** A name no other test on the same agent uses. */
    static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A passing instance on 127.0.0.1:{@code port} with the given tags. */
    void register(String service, String id, int port, List<String> tags) {
        register(service, id, port, tags, "passing");
    }

    void register(String service, String id, int port, List<String> tags, String status) {
        String tagJson = tags.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(",", "[", "]"));
        agent.http("PUT", "/v1/agent/service/register", "{\"Name\":\"" + service + "\",\"ID\":\"" + id + "\","
                + "\"Address\":\"127.0.0.1\",\"Port\":" + port + ",\"Tags\":" + tagJson + ","
                + "\"Check\":{\"CheckID\":\"service:" + id + "\",\"TTL\":\"10m\",\"Status\":\"" + status + "\"}}");
    }

    void pass(String id) {
        agent.http("PUT", "/v1/agent/check/pass/service:" + id, null);
    }

    void fail(String id) {
        agent.http("PUT", "/v1/agent/check/fail/service:" + id, null);
    }

    /** Deregisters; an ID the agent does not know is fine. */
    void deregister(String id) {
        try {
            agent.http("PUT", "/v1/agent/service/deregister/" + id, null);
        } catch (IllegalStateException e) {
            if (!e.getMessage().contains("HTTP 404")) {
                throw e;
            }
        }
    }
}
