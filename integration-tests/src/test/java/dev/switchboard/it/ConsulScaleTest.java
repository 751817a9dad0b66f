package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.DiscoveryStatus;
import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import dev.switchboard.router.table.Route;
import dev.switchboard.router.table.RouteTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 200 services with 3 instances each: the router builds the complete route table (one route per
 * service, to all three instances), routes to every instance, and once the catalog is quiet its
 * request rate to Consul stays low (blocking queries, no polling).
 */
@ExtendWith(ConsulAgentExtension.class)
class ConsulScaleTest {

    private static final int SERVICES = 200;
    private static final int INSTANCES = 3;

    @Test
    void twoHundredServicesTimesThreeInstances(ConsulAgent agent) throws Exception {
        Catalog catalog = new Catalog(agent);
        List<Backend> backends = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < INSTANCES; i++) {
                backends.add(Backend.start("b" + i));
            }
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < SERVICES; s++) {
                String name = "s" + s;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < INSTANCES; i++) {
                        catalog.register(name, name + "-" + i, backends.get(i).port(), List.of("urlprefix-/" + name));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }

            try (Router router = Router.start(agent)) {
                long t0 = System.nanoTime();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    CatalogSnapshot c = router.switchboard().catalog();
                    return c.services().size() == SERVICES && c.instanceCount() == SERVICES * INSTANCES;
                });
                router.switchboard().refresh("test barrier: the catalog's rebuild has run");
                System.out.printf("200x3: synced in %d ms with %d Consul requests%n", (System.nanoTime() - t0) / 1_000_000,
                        router.switchboard().discovery().status().requests());

                RouteTable table = router.switchboard().routingState().table();
                assertThat(table.size()).isEqualTo(SERVICES);
                Set<String> paths = new HashSet<>();
                for (Route r : table.routes()) {
                    paths.add(r.pathPrefix());
                    assertThat(r.targets()).hasSize(1);
                    assertThat(r.targets().get(0).service()).isEqualTo(r.pathPrefix().substring(1));
                    // every instance declares the route: the target names all three (or "all")
                    assertThat(r.targets().get(0).allInstances() ? INSTANCES : r.targets().get(0).instances().size())
                            .as(r.describe()).isEqualTo(INSTANCES);
                    assertThat(router.switchboard().catalog().service(r.targets().get(0).service()).instances())
                            .hasSize(INSTANCES);
                }
                for (int s = 0; s < SERVICES; s++) {
                    assertThat(paths).contains("/s" + s);
                }
                for (int s = 0; s < SERVICES; s += 40) {
                    Set<String> answered = new HashSet<>();
                    for (int n = 0; n < 3 * INSTANCES; n++) {
                        answered.add(router.body("/s" + s + "/x"));
                    }
                    assertThat(answered).as("backends answering /s%d", s).containsExactlyInAnyOrder("b0", "b1", "b2");
                }

                DiscoveryStatus before = router.switchboard().discovery().status();
                long r0 = before.requests();
                long m0 = System.nanoTime();
                // A measurement window, not a wait for a condition: the bound below scales with its measured length.
                Thread.sleep(3000);
                DiscoveryStatus after = router.switchboard().discovery().status();
                double seconds = (System.nanoTime() - m0) / 1e9;
                long requests = after.requests() - r0;
                String line = String.format("200x3 quiet catalog: %d Consul requests in %.1f s (%.1f/s) for %d watches",
                        requests, seconds, requests / seconds, after.watches());
                System.out.println(line);
                assertThat(after.watches()).isEqualTo(SERVICES + 1);
                // wait_time 10s: each idle watch asks about once per wait, so at most once per started 10 s of
                // the window (once in the 3 s it is meant to last); polling would be >= 4/s per watch
                assertThat(requests).as(line).isLessThanOrEqualTo(after.watches() * (1 + (long) (seconds / 10)));
                assertThat(after.lastError()).isNull();
            }
        } finally {
            pool.shutdownNow();
            backends.forEach(Backend::close);
        }
    }
}
