package dev.switchboard.it;

import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.TestServices;
import java.util.List;

/**
 * Registers service instances on the real agent through its HTTP API, the way a deploy tool or a
 * service's own registration would: {@code urlprefix-} tags and a TTL check named
 * {@code service:<id>}, so a test flips health with {@link #pass} and {@link #fail}.
 */
public final class Catalog {

    private final TestServices services;

    public Catalog(ConsulAgent agent) {
        this.services = new TestServices(agent);
    }

    /** A name no other test on the same agent uses. */
    public static String unique(String base) {
        return TestServices.unique(base);
    }

    /** A passing instance on 127.0.0.1:{@code port} with the given tags. */
    public void register(String service, String id, int port, List<String> tags) {
        register(service, id, port, tags, "passing");
    }

    public void register(String service, String id, int port, List<String> tags, String status) {
        services.register(service, id, "127.0.0.1", port, tags, 1, 1, status);
    }

    public void pass(String id) {
        services.check(id, "passing");
    }

    public void fail(String id) {
        services.check(id, "critical");
    }

    /** Deregisters; an ID the agent does not know is fine. */
    public void deregister(String id) {
        services.deregister(id);
    }
}
