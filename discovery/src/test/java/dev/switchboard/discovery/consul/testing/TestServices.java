package dev.switchboard.discovery.consul.testing;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Registers test services on a real agent through its HTTP API (with Weights and a TTL check named
 * {@code service:<id>}), for the discovery tests and the integration tests alike.
 */
public final class TestServices {

    private final ConsulAgent agent;

    public TestServices(ConsulAgent agent) {
        this.agent = agent;
    }

    /** A service name no other test class uses on a shared agent. */
    public static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Registers a service instance with a TTL check named {@code service:<id>} in state {@code status}.
     *
     * @param address service address, or "" for the node's address
     */
    public void register(String name, String id, String address, int port, List<String> tags, int passing, int warning,
            String status) {
        String tagJson = tags.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(",", "[", "]"));
        agent.http("PUT", "/v1/agent/service/register", "{\"Name\":\"" + name + "\",\"ID\":\"" + id + "\","
                + "\"Address\":\"" + address + "\",\"Port\":" + port + ",\"Tags\":" + tagJson + ","
                + "\"Meta\":{\"owner\":\"test\"},"
                + "\"Weights\":{\"Passing\":" + passing + ",\"Warning\":" + warning + "},"
                + "\"Check\":{\"CheckID\":\"service:" + id + "\",\"TTL\":\"10m\",\"Status\":\"" + status + "\"}}");
    }

    /** A passing, route-tagged instance on 127.0.0.1 with weight 1. */
    public void register(String name, String id, int port) {
        register(name, id, "127.0.0.1", port, List.of("urlprefix-/" + name), 1, 1, "passing");
    }

    /** The agent's node name, from {@code /v1/agent/self}. */
    public String nodeName() {
        return com.google.gson.JsonParser.parseString(agent.http("GET", "/v1/agent/self", null)).getAsJsonObject()
                .getAsJsonObject("Config").get("NodeName").getAsString();
    }

    public void check(String id, String status) {
        String verb = switch (status) {
            case "passing" -> "pass";
            case "warning" -> "warn";
            default -> "fail";
        };
        agent.http("PUT", "/v1/agent/check/" + verb + "/service:" + id, null);
    }

    /** Deregisters; an ID the agent does not know is fine (cleanup after a test that removed it). */
    public void deregister(String id) {
        try {
            agent.http("PUT", "/v1/agent/service/deregister/" + id, null);
        } catch (IllegalStateException e) {
            if (!e.getMessage().contains("HTTP 404")) {
                throw e;
            }
        }
    }

    public void serviceMaintenance(String id, boolean enable) {
        agent.http("PUT", "/v1/agent/service/maintenance/" + id + "?enable=" + enable + "&reason=test", null);
    }

    public void nodeMaintenance(boolean enable) {
        agent.http("PUT", "/v1/agent/maintenance?enable=" + enable + "&reason=test", null);
    }
}
