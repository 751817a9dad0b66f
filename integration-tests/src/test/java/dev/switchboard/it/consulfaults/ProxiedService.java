package dev.switchboard.it.consulfaults;

import static dev.switchboard.it.consulfaults.RouterView.catalogIds;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.it.Backend;
import dev.switchboard.it.Catalog;
import dev.switchboard.it.Router;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One routed service whose router reads Consul through a {@link ConsulFaultProxy} (blocking-query
 * wait 2 s): the proxy, the router, running backends, the first few of them registered and routed.
 */
final class ProxiedService implements AutoCloseable {

    /** What the router routes by at one moment: its route table and the service's instances. */
    record Routing(String table, Set<String> instances) {
    }

    private final Catalog catalog;
    private final String name;
    private final List<Backend> backends = new ArrayList<>();
    private ConsulFaultProxy proxy;
    private Router router;

    private ProxiedService(ConsulAgent agent, String base) {
        this.catalog = new Catalog(agent);
        this.name = Catalog.unique(base);
    }

    /**
     * Starts {@code backends} backends, registers the first {@code registered} and waits until the
     * router has them.
     */
    static ProxiedService start(ConsulAgent agent, String base, int backends, int registered) throws Exception {
        ProxiedService s = new ProxiedService(agent, base);
        try {
            for (int i = 0; i < backends; i++) {
                s.backends.add(Backend.start(s.name + "-" + i));
            }
            s.proxy = ConsulFaultProxy.start(agent.httpAddress());
            s.router = Router.start(Router.yaml(s.proxy.address(), agent.managementToken(), "2s", ""));
            for (int i = 0; i < registered; i++) {
                s.register(s.backends.get(i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> catalogIds(s.router, s.name).size() == registered);
            return s;
        } catch (Exception | AssertionError e) {
            s.close();
            throw e;
        }
    }

    ConsulFaultProxy proxy() {
        return proxy;
    }

    Router router() {
        return router;
    }

    String name() {
        return name;
    }

    /** The path load is sent to. */
    String path() {
        return "/" + name + "/x";
    }

    Backend backend(int i) {
        return backends.get(i);
    }

    void register(Backend b) {
        catalog.register(name, b.name(), b.port(), List.of("urlprefix-/" + name));
    }

    /** Takes {@code b} out of the catalog; the backend keeps running. */
    void deregister(Backend b) {
        catalog.deregister(b.name());
    }

    /** The routing once every rebuild queued so far has run. */
    Routing routing() throws Exception {
        RouterView.barrier(router);
        return current();
    }

    /** The routing as it is now. */
    Routing current() {
        return new Routing(router.switchboard().routingState().table().describe(), catalogIds(router, name));
    }

    @Override
    public void close() throws IOException {
        if (router != null) {
            router.close();
        }
        backends.forEach(Backend::close);
        if (proxy != null) {
            proxy.close();
        }
    }
}
