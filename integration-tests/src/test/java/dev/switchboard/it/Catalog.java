package dev.switchboard.it;

import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.TestServices;
import java.util.List;

/**
 * Registers service instances on the real agent through its HTTP API, the way a deploy tool or a
 * service's own registration would: {@code urlprefix-} tags and a TTL check named
 * {@code service:<id>}, so a test flips health with {@link #pass} and {@link #fail}.
 */
final class Catalog {

    private final TestServices services;

    Catalog(ConsulAgent agent) {
        this.services = new TestServices(agent);
    }

    /** A name no other test on the same agent uses. */
    static String unique(String base) {
        return TestServices.unique(base);
    }

    /** A passing instance on 127.0.0.1:{@code port} with the given tags. */
    void register(String service, String id, int port, List<String> tags) {
        register(service, id, port, tags, "passing");
    }

    void register(String service, String id, int port, List<String> tags, String status) {
        services.register(service, id, "127.0.0.1", port, tags, 1, 1, status);
    }

    void pass(String id) {
        services.check(id, "passing");
    }

    void fail(String id) {
        services.check(id, "critical");
    }

    /** Deregisters; an ID the agent does not know is fine. */
    void deregister(String id) {
        services.deregister(id);
    }
}
