package dev.switchboard.router.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.health.HealthSnapshot;
import dev.switchboard.router.health.LoggingHealthEvents;
import dev.switchboard.router.testing.LogCapture;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Issue #3: a backend that accepts and never answers costs each affected request at most one
 * per-try timeout (then the GET is retried elsewhere), is ejected after N timeouts, and the timed-out
 * upstream connections are closed rather than pooled.
 */
class UnresponsiveBackendTest {

    private static final int N = 2;
    private static final long PER_TRY_MILLIS = 1000;
    /** Generous slack over the per-try timeout for a retry plus scheduling on a shared 2-core machine. */
    private static final long SLACK_MILLIS = 1500;

    @AutoClose
    private final TestBackend a = TestBackend.start("a");
    @AutoClose
    private final TestBackend frozen = TestBackend.start("frozen");
    @AutoClose
    private final LogCapture events = LogCapture.of(LoggingHealthEvents.class);
    @AutoClose
    private RouterFixture router;

    @Test
    void frozenBackendCostsOnePerTryTimeoutPerAffectedRequestThenIsEjected() throws Exception {
        // The pool's slots for the frozen backend are freed as soon as a timed-out connection is closed.
        router = RouterFixture.start("""
                upstream: {timeouts: {response: 10s}}
                services:
                  web:
                    instances: [{address: "%s"}, {address: "%s"}]
                    outlier: {consecutive_failures: %d, error_rate_threshold: 0, base_ejection_time: 30s}
                    circuit: {enabled: false}
                    retry: {per_try_timeout: %dms}
                routes:
                  - {path: /, service: web}
                """.formatted(a.address(), frozen.address(), N, PER_TRY_MILLIS));
        for (int i = 0; i < 6; i++) {
            // connections and JIT, so that only the frozen backend makes a request slow
            assertThat(router.get("/warm-up").statusCode()).as("warm-up %d", i).isEqualTo(200);
        }
        // A warm-up try that timed out would count towards N and eject it early.
        HealthSnapshot clean = Backends.live(router, "web", frozen).health().snapshot(System.nanoTime());
        assertThat(clean.outlierConsecutiveFailures()).as("warm-up failures on frozen: %s", clean).isZero();
        assertThat(clean.ejections()).isZero();
        int warmUp = frozen.requests();
        frozen.behave(Backends.frozen());
        int affected = 0;
        long worst = 0;
        for (int i = 0; i < 20; i++) {
            int before = frozen.requests();
            long start = System.nanoTime();
            var response = router.get("/f");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
            assertThat(response.body()).startsWith("a ");
            // Affected: one of its tries went to the frozen backend (not merely slow, which a busy
            // machine can make any request). Such a request waited out the per-try timeout.
            if (frozen.requests() > before) {
                affected++;
                assertThat(millis).as("request %d, which met the frozen backend", i).isGreaterThanOrEqualTo(PER_TRY_MILLIS);
            }
            worst = Math.max(worst, millis);
        }
        System.out.printf("frozen: %d requests affected, worst %d ms, frozen received %d%n", affected, worst, frozen.requests());
        assertThat(worst).isLessThan(PER_TRY_MILLIS + SLACK_MILLIS);
        assertThat(frozen.requests() - warmUp).isEqualTo(N);
        // N tries on the frozen backend in N different requests: none met it twice.
        assertThat(affected).isEqualTo(N);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.matching("ejected web/", frozen.address(), "last TIMEOUT")).hasSize(1));
        // The timed-out connections were closed, not returned to the pool with a response pending.
        Backend live = Backends.live(router, "web", frozen);
        await().atMost(Duration.ofSeconds(3)).until(() -> live.pool().openConnections() == 0);
        assertThat(live.inFlight()).isZero();
    }
}
