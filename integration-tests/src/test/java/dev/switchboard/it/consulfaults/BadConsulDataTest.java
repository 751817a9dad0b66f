package dev.switchboard.it.consulfaults;

import static dev.switchboard.it.consulfaults.RouterView.catalogIds;
import static dev.switchboard.it.consulfaults.RouterView.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import dev.switchboard.discovery.consul.testing.TestServices;
import dev.switchboard.it.Backend;
import dev.switchboard.it.Catalog;
import dev.switchboard.it.Load;
import dev.switchboard.it.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Data the agent accepts but no router should route to, registered under steady load next to
 * valid instances of the same service: invalid ports, addresses that are no host, absurd tags,
 * hostile {@code urlprefix-} tags; plus legal oddities that must route (an empty address falls
 * back to the node's, one service ID on two nodes is two instances) and thousands of instances of
 * one service (2,000; 10,000 with {@code -Dswitchboard.faults.full=true}). Each bad item is skipped with exactly one WARN line naming it (no stack trace), every
 * valid instance keeps routing, and no request fails.
 */
@ExtendWith(ConsulAgentExtension.class)
class BadConsulDataTest {

    /** 10,000 takes about 15 s here, so the short form registers 2,000. */
    private static final int INSTANCES = RouterView.FULL ? 10_000 : 2_000;
    private static final List<String> HOSTILE_TAGS = List.of(
            "/../../etc/passwd", "/a/../b", "/%2e%2e/x", "/with space", "/ünïcödé", "/x?q=1", "/\\x", "//x",
            "bad host/x", "exa_mple..com/x", "ü.example/y", "host:99999/x", "*.*.com/z", "/x%00", "/" + "a".repeat(1500))
            .stream().map(s -> "urlprefix-" + s).toList();

    @Test
    void badInstancesAndTagsAreSkippedWithOneLineEachAndEverythingValidStillRoutes(ConsulAgent agent) throws Exception {
        RawCatalog raw = new RawCatalog(agent);
        Catalog catalog = new Catalog(agent);
        String node = new TestServices(agent).nodeName();
        String svc = Catalog.unique("bad");
        String good = Catalog.unique("good");
        String route = "urlprefix-/" + svc;
        try (LogLines logs = LogLines.capture("dev.switchboard");
                Backend plain = Backend.start("plain"); Backend noAddress = Backend.start("no-address");
                Backend dupA = Backend.start("dup-a"); Backend dupB = Backend.start("dup-b");
                Backend goodBackend = Backend.start(good);
                Router router = Router.start(agent)) {
            raw.agentRegister(service(svc, "plain", "127.0.0.1", plain.port(), List.of(route)));
            raw.agentRegister(service(svc, "no-address", "", noAddress.port(), List.of(route)));
            raw.catalogRegister("dup-node-a", "127.0.0.1", service(svc, "dup", "", dupA.port(), List.of(route)));
            raw.catalogRegister("dup-node-b", "127.0.0.1", service(svc, "dup", "", dupB.port(), List.of(route)));
            catalog.register(good, good, goodBackend.port(), List.of("urlprefix-/" + good));
            Set<String> valid = Set.of(node + "/plain", node + "/no-address", "dup-node-a/dup", "dup-node-b/dup");
            await().atMost(Duration.ofSeconds(10)).until(() -> catalogIds(router, svc).equals(valid)
                    && catalogIds(router, good).size() == 1);

            Load load = Load.start(router, "/" + svc + "/x", 4, Duration.ofSeconds(60));
            Load goodLoad = Load.start(router, "/" + good + "/x", 4, Duration.ofSeconds(60));
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> load.ok() > 50 && goodLoad.ok() > 50);
                long t0 = System.nanoTime();
                // each bad instance would reach a live backend if it were accepted
                Map<String, Map<String, Object>> bad = new LinkedHashMap<>();
                bad.put("port-0", service(svc, "port-0", "127.0.0.1", 0, List.of(route)));
                bad.put("port-negative", service(svc, "port-negative", "127.0.0.1", -1, List.of(route)));
                bad.put("port-65536", service(svc, "port-65536", "127.0.0.1", 65536, List.of(route)));
                // not larger: Consul's streaming backend (its blocking health reads) cuts ports to 32 bits
                bad.put("port-int-max", service(svc, "port-int-max", "127.0.0.1", Integer.MAX_VALUE, List.of(route)));
                bad.put("addr-spaces", service(svc, "addr-spaces", "not a host", plain.port(), List.of(route)));
                bad.put("addr-with-port", service(svc, "addr-with-port", "127.0.0.1:" + plain.port(), plain.port(),
                        List.of(route)));
                bad.put("addr-url", service(svc, "addr-url", "http://127.0.0.1/", plain.port(), List.of(route)));
                bad.put("addr-unicode", service(svc, "addr-unicode", "bücher.example", plain.port(), List.of(route)));
                bad.put("addr-bad-ipv4", service(svc, "addr-bad-ipv4", "999.1.1.1", plain.port(), List.of(route)));
                bad.put("addr-dash", service(svc, "addr-dash", "-bad-", plain.port(), List.of(route)));
                bad.put("addr-double-dot", service(svc, "addr-double-dot", "a..b", plain.port(), List.of(route)));
                bad.put("tags-3000", service(svc, "tags-3000", "127.0.0.1", plain.port(), RawCatalog.manyTags(route, 3000)));
                bad.put("tag-100k", service(svc, "tag-100k", "127.0.0.1", plain.port(), List.of(route, "x".repeat(100_000))));
                bad.put("tag-control", service(svc, "tag-control", "127.0.0.1", plain.port(), List.of(route, "a\u0001b")));
                bad.values().forEach(raw::agentRegister);
                // and the valid instance gets hostile route tags next to its good one
                List<String> hostile = new ArrayList<>(List.of(route));
                hostile.addAll(HOSTILE_TAGS);
                raw.agentRegister(service(svc, "plain", "127.0.0.1", plain.port(), hostile));

                await().atMost(Duration.ofSeconds(10)).until(() -> bad.keySet().stream()
                        .allMatch(id -> !logs.warningsContaining(node + "/" + id).isEmpty())
                        && HOSTILE_TAGS.stream().allMatch(t -> !logs.warningsContaining(quoted(t)).isEmpty()));
                double reportedMs = millisSince(t0);
                RouterView.barrier(router);
                List.of(plain, noAddress, dupA, dupB).forEach(Backend::resetHits);
                await().atMost(Duration.ofSeconds(10)).until(() -> plain.hits() > 0 && noAddress.hits() > 0
                        && dupA.hits() > 0 && dupB.hits() > 0);
                load.close();
                goodLoad.close();

                System.out.printf("bad consul data (%d bad instances, %d hostile tags): %s; good service: %s;"
                                + " all reported %.0f ms after registration; %d WARN lines%n", bad.size(),
                        HOSTILE_TAGS.size(), load.summary(), goodLoad.summary(), reportedMs, logs.warnings().size());
                assertThat(catalogIds(router, svc)).isEqualTo(valid);
                for (String id : bad.keySet()) {
                    assertThat(logs.warningsContaining(node + "/" + id)).as("lines about %s", id).hasSize(1);
                }
                for (String tag : HOSTILE_TAGS) {
                    assertThat(logs.warningsContaining(quoted(tag))).as("lines about %s", tag).hasSize(1);
                }
                assertThat(logs.warnings()).noneMatch(w -> w.contains("stack trace"));
                assertThat(router.switchboard().discovery().status().skipped()).isGreaterThanOrEqualTo(bad.size());
                assertThat(load.errors()).as("client-visible errors: %s", load.reasons()).isZero();
                assertThat(goodLoad.errors()).as("client-visible errors: %s", goodLoad.reasons()).isZero();
            } finally {
                load.close();
                goodLoad.close();
            }
        }
    }

    @Test
    void thousandsOfInstancesOfOneServiceRouteAndTheRouterStaysResponsive(ConsulAgent agent) throws Exception {
        RawCatalog raw = new RawCatalog(agent);
        Catalog catalog = new Catalog(agent);
        String big = Catalog.unique("big");
        String steady = Catalog.unique("steady");
        String hostileTag = "urlprefix-/../" + big;
        List<Backend> backends = new ArrayList<>();
        try (LogLines logs = LogLines.capture("dev.switchboard"); Backend steadyBackend = Backend.start(steady);
                Router router = Router.start(agent)) {
            for (int i = 0; i < 4; i++) {
                backends.add(Backend.start(big + "-" + i));
            }
            catalog.register(steady, steady, steadyBackend.port(), List.of("urlprefix-/" + steady));
            await().atMost(Duration.ofSeconds(10)).until(() -> steady.equals(router.body("/" + steady + "/x")));

            // nodes with 100 instances each, every instance on one of four live backends (node address)
            List<Map<String, Object>> ops = new ArrayList<>();
            List<Map<String, Object>> deletes = new ArrayList<>();
            for (int n = 0; n < INSTANCES / 100; n++) {
                String node = big + "-node-" + n;
                ops.add(RawCatalog.nodeSet(node, "127.0.0.1"));
                for (int k = 0; k < 100; k++) {
                    String id = big + "-" + (n * 100 + k);
                    ops.add(RawCatalog.serviceSet(node, service(big, id, "", backends.get(k % 4).port(),
                            List.of("urlprefix-/" + big, hostileTag))));
                    deletes.add(RawCatalog.serviceDelete(node, big, id));
                }
            }
            Load load = Load.start(router, "/" + steady + "/x", 4, Duration.ofSeconds(90));
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> load.ok() > 50);
                long t0 = System.nanoTime();
                raw.transactions(ops);
                double registeredMs = millisSince(t0);
                await().atMost(Duration.ofSeconds(60)).until(() -> catalogIds(router, big).size() == INSTANCES);
                double syncedMs = millisSince(t0);
                Set<String> answered = ConcurrentHashMap.newKeySet();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> {
                    String name = router.body("/" + big + "/x");
                    if (name != null) {
                        answered.add(name);
                    }
                    return answered.size() == backends.size();
                });
                double routedMs = millisSince(t0);
                assertThat(RouterView.backendIds(router, big)).hasSize(INSTANCES);

                long t1 = System.nanoTime();
                raw.transactions(deletes);
                await().atMost(Duration.ofSeconds(60)).until(() -> router.switchboard().catalog().service(big) == null
                        && RouterView.backendIds(router, big).isEmpty());
                double removedMs = millisSince(t1);
                load.close();

                System.out.printf("%d instances of one service: registered in %.0f ms, in the router's catalog after"
                                + " %.0f ms, all four backends served after %.0f ms, all removed %.0f ms after"
                                + " deregistration; steady service meanwhile: %s; %d WARN lines about the hostile tag%n",
                        INSTANCES, registeredMs, syncedMs, routedMs, removedMs, load.summary(),
                        logs.warningsContaining(quoted(hostileTag)).size());
                assertThat(logs.warningsContaining(quoted(hostileTag))).as("lines about the hostile tag").hasSize(1);
                assertThat(load.errors()).as("client-visible errors: %s", load.reasons()).isZero();
            } finally {
                load.close();
            }
        } finally {
            backends.forEach(Backend::close);
        }
    }

    /** A tag as the router's log lines quote it. */
    private static String quoted(String tag) {
        return "\"" + tag.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** An agent registration body ({@link RawCatalog} adapts it for the catalog): {@code address} "" means the node's. */
    static Map<String, Object> service(String name, String id, String address, long port, List<String> tags) {
        Map<String, Object> s = new HashMap<>();
        s.put("Name", name);
        s.put("ID", id);
        s.put("Address", address);
        s.put("Port", port);
        s.put("Tags", tags);
        return s;
    }
}
