package dev.switchboard.discovery.consul;

import dev.switchboard.discovery.consul.testing.TestServices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** 200 services x 3 instances: one correct snapshot after the first sync, not one per service. */
@ExtendWith(ConsulAgentExtension.class)
class ConsulDiscoveryScaleTest {

    @Test
    void twoHundredServicesOfThreeInstances(ConsulAgent agent) throws Exception {
        TestServices services = new TestServices(agent);
        String prefix = TestServices.unique("scale");
        List<String> names = new ArrayList<>();
        for (int s = 0; s < 200; s++) {
            names.add(prefix + "-" + s);
        }
        forEachService(names, (name, s) -> {
            for (int i = 0; i < 3; i++) {
                services.register(name, name + "-" + i, "10.0." + s % 250 + "." + (i + 1), 10_000 + s,
                        List.of("urlprefix-/" + name), i + 1, 1, "passing");
            }
        });
        List<CatalogSnapshot> published = new CopyOnWriteArrayList<>();
        try (ConsulDiscovery d = new ConsulDiscovery(agent.settings().publishDelay(Duration.ofMillis(200)).build())) {
            d.addListener(published::add);
            d.start();
            CatalogSnapshot first = d.whenReady().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(published).as("the first full sync is one snapshot").hasSize(1);
            for (int s = 0; s < 200; s++) {
                String name = names.get(s);
                assertThat(first.service(name)).as(name).isNotNull();
                assertThat(first.service(name).instances()).extracting(ServiceInstance::hostPort).containsExactly(
                        "10.0." + s % 250 + ".1:" + (10_000 + s), "10.0." + s % 250 + ".2:" + (10_000 + s),
                        "10.0." + s % 250 + ".3:" + (10_000 + s));
                assertThat(first.service(name).instances()).extracting(ServiceInstance::weight).containsExactly(1, 2, 3);
            }
            assertThat(d.status().watches()).isGreaterThanOrEqualTo(201);

            // a burst of 20 changes, each within 200 ms of the last, is coalesced into fewer snapshots
            for (int s = 0; s < 20; s++) {
                services.deregister(names.get(s) + "-0");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> names.subList(0, 20).stream()
                    .allMatch(n -> d.current().service(n).instances().size() == 2));
            assertThat(published.size() - 1).as("snapshots for 20 deregistrations").isLessThan(20);
        } finally {
            forEachService(names, (name, s) -> {
                for (int i = 0; i < 3; i++) {
                    services.deregister(name + "-" + i);
                }
            });
        }
    }

    /** Runs {@code action} for every service on 4 threads (registration over HTTP is the slow part). */
    private static void forEachService(List<String> names, java.util.function.ObjIntConsumer<String> action)
            throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int s = 0; s < names.size(); s++) {
                int index = s;
                done.add(pool.submit(() -> action.accept(names.get(index), index)));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
