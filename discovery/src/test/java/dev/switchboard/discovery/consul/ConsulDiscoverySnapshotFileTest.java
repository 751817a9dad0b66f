package dev.switchboard.discovery.consul;

import dev.switchboard.discovery.consul.testing.TestServices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.DiscoveryStatus;
import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The last snapshot is persisted, and a start with Consul unreachable serves it, marked stale. */
@ExtendWith(ConsulAgentExtension.class)
class ConsulDiscoverySnapshotFileTest {

    @Test
    void persistedSnapshotIsServedWhenConsulIsUnreachableAtStart(ConsulAgent agent, @TempDir Path dir) throws Exception {
        TestServices services = new TestServices(agent);
        String web = TestServices.unique("web");
        Path file = dir.resolve("state/catalog.json");
        CatalogSnapshot live;
        services.register(web, web + "-1", 8001);
        try (ConsulDiscovery d = new ConsulDiscovery(agent.settings().snapshotFile(file).build())) {
            d.start();
            d.whenReady().toCompletableFuture().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> d.current().service(web) != null);
            live = d.current();
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file)
                    && new SnapshotFile(file).load().map(s -> s.snapshot().equals(live)).orElse(false));
        } finally {
            services.deregister(web + "-1");
        }

        // nothing listens on port 1: connection refused
        try (ConsulDiscovery offline = new ConsulDiscovery(agent.settings().address("127.0.0.1:1")
                .snapshotFile(file).build())) {
            offline.start();
            CatalogSnapshot restored = offline.whenReady().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(restored).isEqualTo(live);
            assertThat(offline.current()).isEqualTo(live);
            DiscoveryStatus s = offline.status();
            assertThat(s.stale()).isTrue();
            assertThat(s.ready()).isFalse();
            assertThat(s.lastError()).contains("GET /v1/catalog/services").contains("Connection refused");
        }

        // reachable again: the real catalog replaces the restored one (our service is gone by now)
        try (ConsulDiscovery online = new ConsulDiscovery(agent.settings().snapshotFile(file).build())) {
            online.start();
            online.whenReady().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(online.status().stale()).isFalse();
            assertThat(online.current().service(web)).isNull();
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    new SnapshotFile(file).load().orElseThrow().snapshot().service(web) == null);
        }
    }
}
