package dev.switchboard.router.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The response timeout bounds all tries of a request together (Envoy's route timeout), and
 * {@code per_try_timeout} each one: with {@code response: 2s} and {@code per_try_timeout: 1200ms},
 * against backends that never answer, the first try waits 1.2 s, the second what is left (about
 * 800 ms, time enough for it to reach its backend on a busy machine), and there is no third although
 * {@code max_attempts} allows one. Before, every try got its own 1.2 s and the client waited for all three.
 */
class ResponseTimeoutAcrossTriesTest {

    @Test
    void triesShareTheResponseTimeout() throws Exception {
        CountDownLatch arrivals = new CountDownLatch(1_000);
        CountDownLatch never = new CountDownLatch(1);
        try (TestBackend a = TestBackend.start("a"); TestBackend b = TestBackend.start("b"); TestBackend c = TestBackend.start("c")) {
            for (TestBackend t : new TestBackend[] {a, b, c}) {
                t.behave(TestBackend.blocked(t.name(), arrivals, never));
            }
            try (RouterFixture router = RouterFixture.start("""
                    services:
                      s:
                        instances: [{address: "%s"}, {address: "%s"}, {address: "%s"}]
                        timeouts: {response: 2s}
                        retry: {max_attempts: 3, per_try_timeout: 1200ms, budget_min_per_second: 100}
                        outlier: {consecutive_failures: 1000, error_rate_min_requests: 1000}
                        circuit: {enabled: false}
                    routes:
                      - {path: /, service: s}
                    """.formatted(a.address(), b.address(), c.address()))) {
                var response = router.get("/slow");
                assertThat(response.statusCode()).isEqualTo(504);
                assertThat(response.headers().firstValue("X-Switchboard-Error")).hasValue("upstream_timeout");
                assertThat(1_000 - arrivals.getCount()).as("tries that reached a backend").isEqualTo(2);
            } finally {
                never.countDown();
            }
        }
    }
}
