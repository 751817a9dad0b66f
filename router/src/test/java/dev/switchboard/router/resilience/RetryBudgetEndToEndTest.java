package dev.switchboard.router.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.backend.ServiceState;
import dev.switchboard.router.testing.LogCapture;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Issue #3: when every backend of a service fails, retries stay within the retry budget
 * ({@code ratio × requests + floor} over the 10 s window) and clients get fast 503s; the exhaustion
 * is logged once (the report interval, 10 s, is longer than the test).
 */
class RetryBudgetEndToEndTest {

    private static final double RATIO = 0.2;
    private static final int MIN_PER_SECOND = 1;
    /** The budget's floor: min per second × the 10 s window. */
    private static final int FLOOR = MIN_PER_SECOND * 10;

    @AutoClose
    private final TestBackend x = TestBackend.start("x");
    @AutoClose
    private final TestBackend y = TestBackend.start("y");
    @AutoClose
    private final LogCapture log = LogCapture.of(ServiceState.class);
    @AutoClose
    private RouterFixture router;

    @Test
    void retriesOfAnAllFailingServiceStayWithinTheBudget() throws Exception {
        x.behave(Backends.status(503));
        y.behave(Backends.status(503));
        router = RouterFixture.start("""
                services:
                  web:
                    instances: [{address: "%s"}, {address: "%s"}]
                    outlier: {consecutive_failures: 0, error_rate_threshold: 0}
                    circuit: {enabled: false}
                    retry: {max_attempts: 3, budget_ratio: %s, budget_min_per_second: %d, backoff_base: 1ms, backoff_max: 5ms}
                routes:
                  - {path: /, service: web}
                """.formatted(x.address(), y.address(), RATIO, MIN_PER_SECOND));
        Load load = Load.start(router.uri("/b"), 4, 50, Duration.ofSeconds(8)).await();
        int requests = load.completed();
        int hits = x.requests() + y.requests();
        int retries = hits - requests;
        System.out.printf("budget: %d requests, %d backend hits, %d retries (budget %d), statuses %s, slowest %d ms%n",
                requests, hits, retries, (int) (RATIO * requests) + FLOOR, load.statuses(), load.maxLatency().toMillis());
        assertThat(requests).isEqualTo(200);
        assertThat(load.statuses()).containsOnlyKeys(503);
        // The budget is checked and withdrawn in one CAS: no tolerance needed.
        assertThat(retries).isLessThanOrEqualTo((int) Math.floor(RATIO * requests) + FLOOR);
        assertThat(retries).as("the budget allowed some retries").isPositive();
        // "Fast": no request waited on anything but the backends' immediate 503s and a few ms of backoff;
        // bound kept loose for a shared 2-core machine.
        assertThat(load.maxLatency()).isLessThan(Duration.ofSeconds(2));
        assertThat(log.matching("retry budget exhausted: service=web")).hasSize(1);
    }
}
