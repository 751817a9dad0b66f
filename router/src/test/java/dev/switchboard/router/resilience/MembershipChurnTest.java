package dev.switchboard.router.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.backend.UpstreamPool;
import dev.switchboard.router.health.BackendHealth;
import dev.switchboard.router.health.HealthSnapshot;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Issue #3: membership changes keep the state of backends that stay, and let removed ones finish.
 * An ejected backend is still ejected, with the same live object and health, after another backend
 * was added and a third removed through the API. A backend removed while it holds a request lets
 * that request complete with 200, takes no new ones, and then closes its pooled connections.
 */
class MembershipChurnTest {

    @AutoClose
    private final TestBackend a = TestBackend.start("a");
    @AutoClose
    private final TestBackend bad = TestBackend.start("bad");
    @AutoClose
    private final TestBackend c = TestBackend.start("c");
    @AutoClose
    private final TestBackend d = TestBackend.start("d");
    @AutoClose
    private RouterFixture router;

    private List<Backend> members() {
        return router.switchboard().registry().snapshot().get("web");
    }

    @Test
    void ejectedBackendStaysEjectedWithTheSameStateAcrossAnAddAndARemove() throws Exception {
        router = RouterFixture.start("""
                services:
                  web:
                    instances: [{address: "%s"}, {address: "%s"}]
                    outlier: {consecutive_failures: 3, error_rate_threshold: 0, base_ejection_time: 30s}
                    circuit: {enabled: false}
                routes:
                  - {path: /, service: web}
                """.formatted(a.address(), bad.address()));
        ServiceInstance cInstance = ServiceInstance.ofStatic("web", "127.0.0.1", c.port(), 1);
        router.switchboard().addApiBackend(cInstance);
        assertThat(members()).hasSize(3);

        bad.behave(Backends.status(503));
        for (int i = 0; i < 30; i++) {
            assertThat(router.get("/churn").statusCode()).isEqualTo(200);
        }
        Backend ejected = Backends.live(router, "web", bad);
        BackendHealth health = ejected.health();
        Backend stays = Backends.live(router, "web", a);
        long nowBefore = System.nanoTime();
        HealthSnapshot before = health.snapshot(nowBefore);
        long aSelections = stays.selections();
        assertThat(before.ejected()).isTrue();
        assertThat(before.ejections()).isEqualTo(1);
        assertThat(bad.requests()).isEqualTo(3);
        Backend removed = Backends.live(router, "web", c);

        // Churn: one backend in through the API, another out.
        router.switchboard().addApiBackend(ServiceInstance.ofStatic("web", "127.0.0.1", d.port(), 1));
        assertThat(router.switchboard().removeApiBackend("web", cInstance.id())).isTrue();

        assertThat(members()).extracting(Backend::hostPort)
                .containsExactlyInAnyOrder(a.address(), bad.address(), d.address());
        assertThat(Backends.live(router, "web", bad)).as("same live object").isSameAs(ejected);
        assertThat(ejected.health()).as("same health object").isSameAs(health);
        assertThat(Backends.live(router, "web", a)).isSameAs(stays);
        assertThat(stays.selections()).as("counters carried over, not reset").isEqualTo(aSelections);
        assertThat(removed.isRemoved()).isTrue();
        long nowAfter = System.nanoTime();
        HealthSnapshot after = health.snapshot(nowAfter);
        System.out.println("ejected before churn: " + before + "\nejected after churn: " + after);
        assertThat(after.ejected()).as("still ejected").isTrue();
        assertThat(after.ejections()).isEqualTo(1);
        assertThat(after.ejectionMultiplier()).isEqualTo(before.ejectionMultiplier());
        // The same ejection continues: its end did not move (remaining shrank by the time that passed, ±1 ms rounding).
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(nowAfter - nowBefore);
        assertThat(after.ejectionRemainingMillis())
                .isBetween(before.ejectionRemainingMillis() - elapsedMillis - 1, before.ejectionRemainingMillis() - elapsedMillis + 1);

        int cBefore = c.requests();
        for (int i = 0; i < 20; i++) {
            assertThat(router.get("/churn").statusCode()).isEqualTo(200);
        }
        assertThat(bad.requests()).as("the ejected backend still gets nothing").isEqualTo(3);
        assertThat(c.requests()).as("the removed backend gets nothing").isEqualTo(cBefore);
        assertThat(d.requests()).as("round robin over a and d").isEqualTo(10);
    }

    @Test
    void removedBackendFinishesItsRequestInFlightThenClosesItsConnections() throws Exception {
        router = RouterFixture.start("""
                services:
                  web:
                    instances: [{address: "%s"}]
                routes:
                  - {path: /, service: web}
                """.formatted(a.address()));
        ServiceInstance cInstance = ServiceInstance.ofStatic("web", "127.0.0.1", c.port(), 1);
        router.switchboard().addApiBackend(cInstance);
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        c.behave(TestBackend.blocked("c", arrived, release));

        // Round robin over a and c: within two requests one is held by c.
        CompletableFuture<HttpResponse<String>> held = null;
        for (int i = 0; i < 4 && arrived.getCount() > 0; i++) {
            CompletableFuture<HttpResponse<String>> f = router.client().sendAsync(
                    HttpRequest.newBuilder(router.uri("/inflight")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(5)).until(() -> arrived.getCount() == 0 || f.isDone());
            if (arrived.getCount() == 0) {
                held = f;
            } else {
                assertThat(f.get().statusCode()).isEqualTo(200);
            }
        }
        assertThat(held).as("a request is held by c").isNotNull();
        Backend live = Backends.live(router, "web", c);
        UpstreamPool pool = live.pool();
        assertThat(live.inFlight()).isEqualTo(1);
        assertThat(pool.openConnections()).isGreaterThanOrEqualTo(1);

        assertThat(router.switchboard().removeApiBackend("web", cInstance.id())).isTrue();
        assertThat(members()).extracting(Backend::hostPort).containsExactly(a.address());
        assertThat(live.isRemoved()).isTrue();
        assertThat(held).as("removal does not cut the request in flight").isNotDone();
        int cRequests = c.requests();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = router.get("/after-removal");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Backend")).hasValue("a");
        }
        assertThat(c.requests()).isEqualTo(cRequests);

        release.countDown();
        HttpResponse<String> finished = held.get(10, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).isEqualTo("c released\n");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> pool.openConnections() == 0);
        System.out.printf("removed backend: in flight %d, open connections %d, idle %d%n",
                live.inFlight(), pool.openConnections(), pool.idleConnections());
        assertThat(live.inFlight()).isZero();
        assertThat(pool.idleConnections()).isZero();
    }
}
