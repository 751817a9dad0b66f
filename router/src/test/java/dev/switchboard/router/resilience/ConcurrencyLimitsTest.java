package dev.switchboard.router.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Concurrency limits fail fast instead of queueing: a route's {@code max_in_flight} answers 503
 * {@code route_overloaded}; a backend at {@code max_in_flight_per_backend} is skipped for another,
 * and when every backend is at its limit the request gets 503 {@code upstream_overloaded} at once.
 */
class ConcurrencyLimitsTest {

    @Test
    void routeAndBackendLimitsAnswer503AtOnce() throws Exception {
        CountDownLatch arrived = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        try (TestBackend a = TestBackend.start("a"); TestBackend b = TestBackend.start("b")) {
            a.behave(TestBackend.blocked("a", arrived, release));
            b.behave(TestBackend.blocked("b", arrived, release));
            try (RouterFixture router = RouterFixture.start("""
                    services:
                      two:
                        instances: [{address: "%s"}, {address: "%s"}]
                        max_in_flight_per_backend: 1
                        retry: {max_attempts: 1}
                    routes:
                      - {name: limited, path: /limited, service: two, max_in_flight: 1}
                      - {name: open, path: /, service: two}
                    """.formatted(a.address(), b.address()))) {
                // Route limit: one request in flight on /limited, the next one is refused at once.
                var first = async(router, "/limited/1");
                await().atMost(Duration.ofSeconds(10)).until(() -> arrived.getCount() == 1);
                HttpResponse<String> refused = router.get("/limited/2");
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("X-Switchboard-Error")).contains("route_overloaded");

                // Backend limit: the busy backend is skipped, the other takes the request...
                var second = async(router, "/other");
                assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
                // ...and with both at their limit, the next request gets 503 without waiting, named
                // for what it is: the backends are busy, not unhealthy.
                HttpResponse<String> none = router.get("/third");
                assertThat(none.statusCode()).isEqualTo(503);
                assertThat(none.headers().firstValue("X-Switchboard-Error")).contains("upstream_overloaded");

                release.countDown();
                assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                // Limits are released with the requests: traffic flows again.
                assertThat(router.get("/limited/again").statusCode()).isEqualTo(200);
            }
        }
    }

    private static CompletableFuture<HttpResponse<String>> async(RouterFixture router, String path) {
        return router.client().sendAsync(HttpRequest.newBuilder(router.uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
