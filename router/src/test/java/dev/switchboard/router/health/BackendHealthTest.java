package dev.switchboard.router.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.discovery.InstanceId;
import dev.switchboard.router.config.ServiceConfig;
import dev.switchboard.router.config.ServiceConfig.ActiveCheckConfig;
import dev.switchboard.router.config.ServiceConfig.CircuitConfig;
import dev.switchboard.router.config.ServiceConfig.OutlierConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How the signals combine into availability, the per-attempt protocol, and the admin snapshot. */
class BackendHealthTest {

    private static final long MS = 1_000_000L;

    private final RecordingEvents events = new RecordingEvents();
    // outlier: 5 in a row, 1 s; circuit: 3 in a row, open 2 s, 1 trial; active checks on
    private final ServiceHealth service = new ServiceHealth("api", new ServiceConfig(null, null, null, null, null, null,
            new OutlierConfig(5, null, 0.0, null, null, Duration.ofSeconds(1), Duration.ofSeconds(10), 100, 0),
            new ActiveCheckConfig("/health", null, null, null, null, null, null),
            new CircuitConfig(true, 3, 0.0, null, null, Duration.ofSeconds(2), 1),
            null, null), events);
    private final BackendHealth b = service.join(new InstanceId("n1", "api-1"));
    private final BackendHealth other = service.join(new InstanceId("n2", "api-2"));

    private void record(long now, Outcome outcome, int times) {
        for (int i = 0; i < times; i++) {
            long permit = b.tryAcquire(now);
            assertThat(permit).isNotEqualTo(BackendHealth.REJECTED);
            b.record(permit, outcome, now);
        }
    }

    @Test
    void availableNeedsEverySignal() {
        assertThat(b.available(0)).isTrue();

        b.markUnhealthy(BackendHealth.Signal.ACTIVE_CHECK, "3 checks failed");
        assertThat(b.available(0)).isFalse();
        assertThat(b.admitsInPanic(0)).isTrue();
        b.markHealthy(BackendHealth.Signal.ACTIVE_CHECK, "2 checks passed");
        assertThat(b.available(0)).isTrue();

        b.markUnhealthy(BackendHealth.Signal.DISCOVERY, "consul: critical");
        assertThat(b.available(0)).isFalse();
        b.markHealthy(BackendHealth.Signal.DISCOVERY, "consul: passing");
        assertThat(b.available(0)).isTrue();
    }

    @Test
    void openCircuitMakesItUnavailableAndUnhealthyForTheServiceButPanicPassesIt() {
        record(0, Outcome.CONNECT_FAILURE, 3);
        assertThat(b.available(0)).isFalse();
        assertThat(b.tryAcquire(0)).isEqualTo(BackendHealth.REJECTED);
        assertThat(b.healthy(0)).as("the circuit is not a health signal").isTrue();
        assertThat(service.healthy()).as("but the service counts it out for panic").isEqualTo(1);

        // Panic passes over the circuit with a permit the circuit ignores.
        assertThat(b.admitsInPanic(0)).isTrue();
        long bypass = b.tryAcquire(0, true);
        assertThat(bypass).isEqualTo(CircuitBreaker.BYPASS);
        long transitions = b.circuit().transitions();
        b.record(bypass, Outcome.SUCCESS, 0);
        assertThat(b.circuit().transitions()).isEqualTo(transitions);
        assertThat(b.circuit().state(0)).isEqualTo(CircuitBreaker.State.OPEN);

        assertThat(b.available(2000 * MS)).isTrue();
        long trial = b.tryAcquire(2000 * MS);
        assertThat(b.available(2000 * MS)).as("the one trial is taken").isFalse();
        assertThat(b.tryAcquire(2000 * MS, true)).as("panic passes a full half-open circuit too")
                .isEqualTo(CircuitBreaker.BYPASS);
        b.release(trial);
        assertThat(b.available(2000 * MS)).isTrue();
        assertThat(service.healthy()).as("half-open is not closed").isEqualTo(1);
        b.record(b.tryAcquire(2000 * MS), Outcome.SUCCESS, 2000 * MS);
        assertThat(b.circuit().state(2000 * MS)).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(service.healthy()).isEqualTo(2);
    }

    @Test
    void ejectionMakesItUnavailableUntilItsTimeIsUp() {
        record(0, Outcome.GATEWAY_STATUS, 2);
        record(0, Outcome.SUCCESS, 1); // circuit run broken, outlier run broken
        record(0, Outcome.GATEWAY_STATUS, 2);
        record(0, Outcome.SUCCESS, 1);
        assertThat(b.available(0)).isTrue();

        // 5 in a row trip outlier detection (5) but the circuit (3) opens first: both apply
        record(0, Outcome.GATEWAY_STATUS, 3);
        b.record(b.tryAcquire(0), Outcome.GATEWAY_STATUS, 0); // REJECTED permit: the circuit ignores it
        b.record(b.tryAcquire(0), Outcome.GATEWAY_STATUS, 0);
        assertThat(b.outlier().isEjected(0)).isTrue();
        assertThat(b.healthy(999 * MS)).isFalse();
        assertThat(b.healthy(1000 * MS)).isTrue();
        assertThat(b.available(1000 * MS)).as("the circuit is still open until 2 s").isFalse();
        assertThat(b.available(2000 * MS)).isTrue();
    }

    @Test
    void repeatedVerdictsAreReportedOnce() {
        b.markUnhealthy(BackendHealth.Signal.ACTIVE_CHECK, "3 checks failed");
        b.markUnhealthy(BackendHealth.Signal.ACTIVE_CHECK, "4 checks failed");
        b.markHealthy(BackendHealth.Signal.ACTIVE_CHECK, "2 checks passed");
        b.markHealthy(BackendHealth.Signal.ACTIVE_CHECK, "3 checks passed");
        assertThat(events.lines()).containsExactly(
                "signal n1/api-1 ACTIVE_CHECK unhealthy 3 checks failed",
                "signal n1/api-1 ACTIVE_CHECK healthy 2 checks passed");
    }

    @Test
    void snapshotShowsEveryPart() {
        record(0, Outcome.TIMEOUT, 2);
        b.markUnhealthy(BackendHealth.Signal.DISCOVERY, "consul: critical");
        HealthSnapshot s = b.snapshot(0);
        assertThat(s).isEqualTo(new HealthSnapshot("n1/api-1", false, false, "closed", 0, 2, 2, 2, 0,
                false, 0, 0, 0, 2, 2, 2, "passing", "failing: consul: critical"));

        record(0, Outcome.TIMEOUT, 1);
        b.record(b.tryAcquire(0), Outcome.TIMEOUT, 0);
        b.record(b.tryAcquire(0), Outcome.TIMEOUT, 0);
        HealthSnapshot later = b.snapshot(500 * MS);
        assertThat(later.circuit()).isEqualTo("open");
        assertThat(later.circuitOpenRemainingMillis()).isEqualTo(1500);
        assertThat(later.ejected()).isTrue();
        assertThat(later.ejectionRemainingMillis()).isEqualTo(500);
        assertThat(later.ejectionMultiplier()).isEqualTo(1);
        assertThat(later.ejections()).isEqualTo(1);

        assertThat(other.snapshot(0).activeCheck()).isEqualTo("passing");
        assertThat(b.snapshot(2500 * MS).circuit()).isEqualTo("half_open");
    }
}
