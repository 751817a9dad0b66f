package dev.switchboard.router.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * {@code peak_ewma} learns from attempts that got no answer: a backend that accepts connections and
 * never responds costs a whole try timeout, so after its first timeout it loses the comparison
 * to a backend that answers. Outlier detection and the circuit are off here, so only the latency
 * estimate can steer away from it (before the fix it kept the estimate of an unmeasured backend, 0,
 * and took nearly every first attempt).
 */
class PeakEwmaSilentBackendTest {

    private static final int REQUESTS = 12;

    @Test
    void aBackendThatNeverAnswersIsAvoidedAfterItsTimeout() throws Exception {
        CountDownLatch arrivals = new CountDownLatch(1_000);
        CountDownLatch never = new CountDownLatch(1);
        try (TestBackend silent = TestBackend.start("silent"); TestBackend ok = TestBackend.start("ok")) {
            silent.behave(TestBackend.blocked("silent", arrivals, never));
            try (RouterFixture router = RouterFixture.start("""
                    services:
                      s:
                        strategy: peak_ewma
                        instances: [{address: "%s"}, {address: "%s"}]
                        timeouts: {response: 5s}
                        retry: {max_attempts: 2, per_try_timeout: 1s, budget_min_per_second: 100}
                        outlier: {consecutive_failures: 1000, error_rate_min_requests: 1000}
                        circuit: {enabled: false}
                    routes:
                      - {path: /, service: s}
                    """.formatted(silent.address(), ok.address()))) {
                for (int i = 0; i < REQUESTS; i++) {
                    var response = router.get("/r" + i);
                    assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
                    assertThat(response.headers().firstValue("X-Backend")).hasValue("ok");
                }
                long reachedSilent = 1_000 - arrivals.getCount();
                System.out.printf("peak_ewma: %d of %d requests tried the silent backend first%n", reachedSilent, REQUESTS);
                assertThat(reachedSilent).as("attempts on the silent backend").isBetween(0L, 2L);
            } finally {
                never.countDown();
            }
        }
    }
}
