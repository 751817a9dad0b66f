package dev.switchboard.discovery.consul;

import dev.switchboard.discovery.consul.testing.TestServices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.DiscoveryStatus;
import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Consul goes away and comes back: the last instances stay, the status says what is wrong, the
 * request rate stays bounded while it is down, and discovery resyncs without a restart (the
 * restarted agent's index starts over, below the one the watches last saw).
 */
@ExtendWith(ConsulAgentExtension.class)
class ConsulDiscoveryOutageTest {

    @Test
    void keepsTheLastSnapshotWhileConsulIsDownAndResyncsWhenItReturns(ConsulAgent agent) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(agent.restartable(), "needs an agent the test can stop: " + agent);
        TestServices services = new TestServices(agent);
        String web = TestServices.unique("web");
        String api = TestServices.unique("api");
        services.register(web, web + "-1", 8001);
        services.register(api, api + "-1", 8002);
        ConsulSettings settings = agent.settings().build(); // retries 50 ms .. 500 ms, min interval 50 ms
        try (ConsulDiscovery d = new ConsulDiscovery(settings)) {
            d.start();
            d.whenReady().toCompletableFuture().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> d.current().instanceCount() >= 2);
            CatalogSnapshot before = d.current();
            long publishedBefore = d.publications();

            agent.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> d.status().lastError() != null);
            DiscoveryStatus down = d.status();
            assertThat(down.lastErrorAt()).isNotNull();
            assertThat(down.lastError()).contains("Connection refused");
            assertThat(down.ready()).isTrue();

            // bounded request rate while down: each watch backs off to 250..500 ms between requests
            int watches = down.watches();
            long r0 = d.status().requests();
            long t0 = System.nanoTime();
            // A measurement window, not a wait for a condition: the bound below scales with its measured length.
            Thread.sleep(2000);
            long requests = d.status().requests() - r0;
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(watches).isEqualTo(3);
            assertThat(requests).as("requests in %.1f s with %d watches", seconds, watches)
                    .isGreaterThan(0)
                    .isLessThanOrEqualTo((long) Math.ceil(watches * (seconds / 0.25 + 5)));
            assertThat(d.current()).as("last known instances are kept").isEqualTo(before);
            assertThat(d.publications()).isEqualTo(publishedBefore);
            assertThat(d.status().errorCount()).isGreaterThan(down.errorCount());

            agent.start();
            // the agent restores its registrations from its data dir (TTL checks critical until
            // passed again); its raft index starts over, below the one the watches last saw
            await().atMost(Duration.ofSeconds(10)).until(() -> d.status().lastError() == null
                    && d.current().service(web) != null && d.current().service(api) != null);
            services.check(web + "-1", "passing");
            services.check(api + "-1", "passing");
            await().atMost(Duration.ofSeconds(10)).until(() -> d.current().equals(before));
            String late = TestServices.unique("late");
            services.register(late, late + "-1", 8003);
            await().atMost(Duration.ofSeconds(10)).until(() -> d.current().service(late) != null
                    && d.current().service(late).instances().size() == 1);
            DiscoveryStatus up = d.status();
            assertThat(up.lastError()).isNull();
            assertThat(up.lastSuccess()).isAfter(down.lastErrorAt());
        }
    }
}
