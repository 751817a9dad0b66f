package dev.switchboard.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.discovery.ServiceSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CatalogPublisherTest {

    static ServiceSnapshot service(String name, int port) {
        return new ServiceSnapshot(name, List.of(ServiceInstance.ofStatic(name, "10.0.0.1", port, 1)));
    }

    @Test
    void nothingBeforeLiveThenOneSnapshotForABurst() {
        List<CatalogSnapshot> seen = new CopyOnWriteArrayList<>();
        // A 2 s delay: the burst below must fit in it even if the test thread is descheduled mid-loop
        // (GC, CPU steal); with 200 ms a partial snapshot could be published and look like no coalescing.
        try (CatalogPublisher p = new CatalogPublisher(Duration.ofSeconds(2), null, Clock.systemUTC())) {
            p.addListener(seen::add);
            for (int i = 0; i < 200; i++) {
                p.put(service("s" + i, 1000 + i));
            }
            assertThat(seen).isEmpty();
            assertThat(p.whenReady()).isNotDone();
            p.goLive();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
            assertThat(seen.get(0).services()).hasSize(200);
            assertThat(p.whenReady()).isCompletedWithValue(seen.get(0));

            for (int i = 0; i < 50; i++) {
                p.put(service("s" + i, 2000 + i)); // a burst of changes within the delay
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
            assertThat(seen.get(1).service("s49").instances().get(0).port()).isEqualTo(2049);

            p.put(service("s1", 2001)); // unchanged: no publication
            p.remove("absent");
            p.remove("s199");
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
            assertThat(seen.get(2).services()).hasSize(199);
            assertThat(p.publications()).isEqualTo(3);
        }
    }

    @Test
    void aRestoredSnapshotIsPublishedAndAnEqualRealOneIsNotRepublished() {
        List<CatalogSnapshot> seen = new CopyOnWriteArrayList<>();
        try (CatalogPublisher p = new CatalogPublisher(Duration.ZERO, null, Clock.systemUTC())) {
            p.addListener(seen::add);
            CatalogSnapshot restored = CatalogSnapshot.of(List.of(service("web", 80)));
            p.restore(restored);
            assertThat(p.isStale()).isTrue();
            assertThat(p.whenReady()).isCompletedWithValue(restored);
            assertThat(seen).containsExactly(restored);
            List<CatalogSnapshot> late = new CopyOnWriteArrayList<>();
            p.addListener(late::add);
            assertThat(late).containsExactly(restored);

            p.put(service("web", 80));
            p.goLive();
            await().atMost(Duration.ofSeconds(5)).until(() -> !p.isStale());
            p.put(service("web", 81));
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
            assertThat(seen.get(1).service("web").instances().get(0).port()).isEqualTo(81);
        }
    }

    @Test
    void aThrowingListenerDoesNotStopOthers() {
        List<CatalogSnapshot> seen = new CopyOnWriteArrayList<>();
        try (CatalogPublisher p = new CatalogPublisher(Duration.ZERO, null, Clock.systemUTC())) {
            p.addListener(s -> {
                throw new IllegalStateException("listener bug");
            });
            p.addListener(seen::add);
            p.put(service("web", 80));
            p.goLive();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
        }
    }
}
