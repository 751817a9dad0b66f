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
 * Issue #3, the per-backend circuit breaker end to end, with outlier ejection switched off so the
 * breaker alone acts: a backend answering 503 (or resetting connections) opens its circuit after the
 * configured failures in a row, visible in its health snapshot; while open it gets no traffic and
 * clients see only 200s (GETs are retried elsewhere); after {@code open_duration} the circuit is
 * half-open and a trial reaches the backend: a failing trial opens it again, and once the backend
 * has recovered {@code half_open_requests} successful trials close it and it takes its share again.
 */
class CircuitBreakerEndToEndTest {

    private static final int FAILURES_TO_OPEN = 3;
    private static final int TRIALS = 2;
    /** Long enough that a slow machine still sends the requests meant to meet the open circuit. */
    private static final Duration OPEN_DURATION = Duration.ofSeconds(5);

    @AutoClose
    private final TestBackend a = TestBackend.start("a");
    @AutoClose
    private final TestBackend b = TestBackend.start("b");
    @AutoClose
    private final TestBackend bad = TestBackend.start("bad");
    @AutoClose
    private final LogCapture events = LogCapture.of(LoggingHealthEvents.class);
    @AutoClose
    private RouterFixture router;

    private void startRouter(Duration openDuration) throws Exception {
        router = RouterFixture.start("""
                services:
                  web:
                    instances: [{address: "%s"}, {address: "%s"}, {address: "%s"}]
                    outlier: {consecutive_failures: 0, error_rate_threshold: 0}
                    circuit: {consecutive_failures: %d, failure_ratio: 0, window: 5s, open_duration: %dms,
                              half_open_requests: %d}
                    retry: {budget_min_per_second: 100}
                routes:
                  - {path: /, service: web}
                """.formatted(a.address(), b.address(), bad.address(), FAILURES_TO_OPEN,
                openDuration.toMillis(), TRIALS));
    }

    private HealthSnapshot health() {
        return Backends.live(router, "web", bad).health().snapshot(System.nanoTime());
    }

    private void get200() throws Exception {
        assertThat(router.get("/cb").statusCode()).isEqualTo(200);
    }

    // The breaker publishes a transition before it logs it, and the IO thread records an outcome
    // after the client has its response: a state seen through the API may precede its log line.
    @Test
    void failingBackendOpensItsCircuitAFailedTrialReopensItAndRecoveryClosesIt() throws Exception {
        startRouter(OPEN_DURATION);
        Backend live = Backends.live(router, "web", bad);
        bad.behave(Backends.status(503));

        // Before the first request, so that the time since it bounds the time the circuit has been open.
        long beforeOpen = System.nanoTime();
        for (int i = 0; i < 30 && !health().circuit().equals("open"); i++) {
            get200();
        }
        // Sequential round robin: bad is asked every third request until the third 503 in a row opens it.
        assertThat(bad.requests()).isEqualTo(FAILURES_TO_OPEN);
        HealthSnapshot open = health();
        System.out.println("circuit after " + bad.requests() + " 503s: " + open);
        assertThat(open.circuit()).isEqualTo("open");
        assertThat(open.available()).isFalse();
        assertThat(open.healthy()).as("only the breaker acts: not ejected").isTrue();
        assertThat(open.ejected()).isFalse();

        // Open: no traffic reaches it (three rounds, so a closed circuit would have given it three).
        for (int i = 0; i < 9; i++) {
            get200();
        }
        // Every one of these requests was chosen while the circuit was open, unless the machine was
        // too slow to send them within the open duration: that is reported as such, not as a breaker bug.
        long openMillis = (System.nanoTime() - beforeOpen) / 1_000_000;
        assertThat(openMillis).as("test overran the %d ms open duration (slow machine, not a breaker fault)",
                OPEN_DURATION.toMillis()).isLessThan(OPEN_DURATION.toMillis());
        assertThat(bad.requests()).isEqualTo(FAILURES_TO_OPEN);
        assertThat(health().circuit()).isEqualTo("open");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.matching("circuit web/", bad.address(), "CLOSED -> OPEN", "3 failures in a row")).hasSize(1));

        // Half-open while still failing: one trial reaches it, fails, and opens the circuit again.
        await().atMost(OPEN_DURATION.plusSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> health().circuit().equals("half_open"));
        for (int i = 0; i < 6 && bad.requests() == FAILURES_TO_OPEN; i++) {
            get200();
        }
        assertThat(bad.requests()).as("one trial went through").isEqualTo(FAILURES_TO_OPEN + 1);
        assertThat(health().circuit()).isEqualTo("open");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.matching("circuit web/", bad.address(), "HALF_OPEN -> OPEN", "trial request failed")).hasSize(1));

        // Recovered: after the open duration, TRIALS successful trials close the circuit.
        bad.behave(null);
        await().atMost(OPEN_DURATION.plusSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> health().circuit().equals("half_open"));
        int beforeTrials = bad.requests();
        for (int i = 0; i < 12 && !health().circuit().equals("closed"); i++) {
            get200();
        }
        HealthSnapshot closed = health();
        System.out.println("circuit after recovery: " + closed + ", trials seen by bad: " + (bad.requests() - beforeTrials));
        assertThat(closed.circuit()).isEqualTo("closed");
        assertThat(closed.available()).isTrue();
        assertThat(bad.requests() - beforeTrials).isEqualTo(TRIALS);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.matching("circuit web/", bad.address(), "HALF_OPEN -> CLOSED")).hasSize(1));
        assertThat(Backends.live(router, "web", bad)).as("same live backend throughout").isSameAs(live);

        // Closed again: round robin over three backends gives it its third.
        int back = bad.requests();
        for (int i = 0; i < 9; i++) {
            get200();
        }
        assertThat(bad.requests() - back).isEqualTo(3);
    }

    @Test
    void backendResettingConnectionsOpensItsCircuitAndIsAvoided() throws Exception {
        startRouter(OPEN_DURATION);
        for (int i = 0; i < 6; i++) {
            get200(); // pooled connections to every backend, so resets also meet reused connections
        }
        int healthyRequests = bad.requests();
        bad.behave(Backends.reset());
        for (int i = 0; i < 40 && !health().circuit().equals("open"); i++) {
            get200();
        }
        int resets = bad.requests() - healthyRequests;
        System.out.println("circuit opened after " + resets + " resets: " + health());
        assertThat(health().circuit()).isEqualTo("open");
        // A reset on a reused pooled connection counts as a stale connection, not a failure (at most
        // one per IO thread's pooled connection, two here); every other reset counts.
        assertThat(resets).isBetween(FAILURES_TO_OPEN, FAILURES_TO_OPEN + 2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.matching("circuit web/", bad.address(), "CLOSED -> OPEN", "RESET")).hasSize(1));

        for (int i = 0; i < 30; i++) {
            get200();
        }
        assertThat(bad.requests() - healthyRequests).as("no traffic while open").isEqualTo(resets);
        assertThat(health().circuit()).isEqualTo("open");
    }
}
