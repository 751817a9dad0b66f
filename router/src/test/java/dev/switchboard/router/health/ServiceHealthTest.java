package dev.switchboard.router.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.discovery.InstanceId;
import dev.switchboard.router.config.ServiceConfig;
import dev.switchboard.router.config.ServiceConfig.CircuitConfig;
import dev.switchboard.router.config.ServiceConfig.OutlierConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outlier ejection and the service-wide rules: ejection time, max_ejection_percent, panic. */
class ServiceHealthTest {

    private static final long MS = 1_000_000L;

    private final RecordingEvents events = new RecordingEvents();

    /** 3 in a row; error rate 0.5 over >= 10 in 10 s; 1 s base, 3 s max. */
    private static OutlierConfig outlier(int consecutive, int maxEjectionPercent, int panicThreshold) {
        return new OutlierConfig(consecutive, null, 0.5, 10, Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofSeconds(3), maxEjectionPercent, panicThreshold);
    }

    private ServiceHealth service(OutlierConfig outlier) {
        // circuit off: these tests are about outlier ejection alone
        CircuitConfig off = new CircuitConfig(false, null, null, null, null, null, null);
        ServiceConfig config = new ServiceConfig(null, null, null, null, null, null, outlier, null, off, null, null);
        return new ServiceHealth("api", config, events);
    }

    private static List<BackendHealth> join(ServiceHealth s, int n) {
        List<BackendHealth> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(s.join(new InstanceId("n", "b" + i)));
        }
        return list;
    }

    private static void record(BackendHealth b, long now, Outcome outcome, int times) {
        for (int i = 0; i < times; i++) {
            b.record(b.tryAcquire(now), outcome, now);
        }
    }

    @Test
    void consecutiveFailuresEjectAndASuccessResetsTheRun() {
        ServiceHealth s = service(outlier(3, 50, 0));
        BackendHealth b = join(s, 2).get(0);
        record(b, 0, Outcome.TIMEOUT, 2);
        record(b, 0, Outcome.SUCCESS, 1);
        record(b, 0, Outcome.GATEWAY_STATUS, 2);
        assertThat(b.available(0)).isTrue();

        record(b, 0, Outcome.RESET, 1);
        assertThat(b.available(0)).isFalse();
        assertThat(s.ejected()).isEqualTo(1);
        assertThat(events.lines()).containsExactly("ejected n/b1 1000ms #1 3 failures in a row, last RESET");
    }

    @Test
    void errorRateEjectsOnceMinRequestsAreSeen() {
        ServiceHealth s = service(outlier(0, 50, 0));
        BackendHealth b = join(s, 2).get(0);
        for (int i = 0; i < 4; i++) {
            record(b, i * MS, Outcome.SUCCESS, 1);
            record(b, i * MS, Outcome.CONNECT_FAILURE, 1);
        }
        record(b, 5 * MS, Outcome.SUCCESS, 1);
        assertThat(b.available(5 * MS)).as("9 requests < 10").isTrue();

        record(b, 6 * MS, Outcome.CONNECT_FAILURE, 1);
        assertThat(b.available(6 * MS)).isFalse();
        assertThat(events.lines()).containsExactly(
                "ejected n/b1 1000ms #1 error rate 0.50 over 10 requests (threshold 0.50)");
    }

    @Test
    void localRejectsAreNotCounted() {
        ServiceHealth s = service(outlier(3, 50, 0));
        BackendHealth b = join(s, 2).get(0);
        record(b, 0, Outcome.TIMEOUT, 2);
        record(b, 0, Outcome.LOCAL_REJECT, 50);
        assertThat(b.outlier().consecutiveFailures()).isEqualTo(2);
        assertThat(RollingCounter.total(b.outlier().windowCounts(0))).isEqualTo(2);
        assertThat(b.available(0)).isTrue();
    }

    @Test
    void ejectedBackendReturnsWhenItsTimeIsUpCheckedLazily() {
        ServiceHealth s = service(outlier(3, 50, 0));
        BackendHealth b = join(s, 2).get(0);
        record(b, 0, Outcome.TIMEOUT, 3);

        assertThat(b.available(999 * MS)).isFalse();
        assertThat(s.ejected()).isEqualTo(1);
        assertThat(b.available(1000 * MS)).isTrue();
        assertThat(b.available(1001 * MS)).isTrue();
        assertThat(s.ejected()).isZero();
        assertThat(s.healthy()).isEqualTo(2);
        assertThat(events.count("returned n/b1")).isEqualTo(1);
    }

    @Test
    void ejectionTimeGrowsWithRepeatsUpToTheCap() {
        ServiceHealth s = service(outlier(3, 50, 0));
        BackendHealth b = join(s, 2).get(0);
        long now = 0;
        List<Long> durations = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            record(b, now, Outcome.TIMEOUT, 3);
            long until = b.outlier().ejectedUntilNanos();
            durations.add((until - now) / MS);
            now = until;
            assertThat(b.available(now)).isTrue();
        }
        assertThat(durations).containsExactly(1000L, 2000L, 3000L, 3000L);
        assertThat(b.outlier().multiplier()).isEqualTo(4);
        assertThat(b.outlier().ejections()).isEqualTo(4);
    }

    @Test
    void multiplierDecaysOneStepPerWindowSpentHealthy() {
        ServiceHealth s = service(outlier(3, 50, 0));
        BackendHealth b = join(s, 2).get(0);
        record(b, 0, Outcome.TIMEOUT, 3); // #1, 1 s
        assertThat(b.available(1000 * MS)).isTrue();
        record(b, 1000 * MS, Outcome.TIMEOUT, 3); // #2, 2 s
        assertThat(b.available(3000 * MS)).isTrue();

        record(b, 22_999 * MS, Outcome.TIMEOUT, 3); // healthy 19.999 s: one window, one step
        assertThat(b.outlier().multiplier()).isEqualTo(2);
        assertThat(b.outlier().ejectedUntilNanos() - 22_999 * MS).isEqualTo(2000 * MS);
        assertThat(b.available(24_999 * MS)).isTrue();

        record(b, 44_999 * MS, Outcome.TIMEOUT, 3); // healthy 20 s: two steps, back to the base time
        assertThat(b.outlier().multiplier()).isEqualTo(1);
        assertThat(b.outlier().ejectedUntilNanos() - 44_999 * MS).isEqualTo(1000 * MS);
    }

    @Test
    void maxEjectionPercentCapsEjectionsAndReportsTheSkip() {
        ServiceHealth s = service(outlier(3, 50, 0));
        List<BackendHealth> bs = join(s, 4);
        record(bs.get(0), 0, Outcome.TIMEOUT, 3);
        record(bs.get(1), 0, Outcome.TIMEOUT, 3);
        record(bs.get(2), 0, Outcome.TIMEOUT, 3);

        assertThat(s.ejected()).isEqualTo(2);
        assertThat(bs.get(2).available(0)).isTrue();
        assertThat(events.lines()).contains("skipped n/b3 3 failures in a row, last TIMEOUT; "
                + "max_ejection_percent 50 reached with 2 of 4 ejected");
        assertThat(bs.get(2).outlier().consecutiveFailures()).as("counts restart after a skip").isZero();

        record(bs.get(2), 0, Outcome.TIMEOUT, 2);
        assertThat(events.count("skipped")).isEqualTo(1);

        assertThat(bs.get(0).available(1000 * MS)).isTrue(); // one returns: room for another
        record(bs.get(2), 1000 * MS, Outcome.TIMEOUT, 1);
        assertThat(bs.get(2).available(1000 * MS)).isFalse();
        assertThat(s.ejected()).isEqualTo(2);
    }

    @Test
    void firstEjectionIsAllowedEvenAboveThePercentButZeroPercentDisablesEjection() {
        ServiceHealth one = service(outlier(3, 10, 0));
        BackendHealth b = join(one, 1).get(0);
        record(b, 0, Outcome.TIMEOUT, 3);
        assertThat(b.available(0)).isFalse();

        ServiceHealth none = service(outlier(3, 0, 0));
        BackendHealth c = none.join(new InstanceId("n", "c"));
        record(c, 0, Outcome.TIMEOUT, 3);
        assertThat(c.available(0)).isTrue();
        assertThat(none.ejected()).isZero();
    }

    /**
     * The bug-hunt case: every backend fails, max_ejection_percent lets one be ejected, and the
     * circuits open on the others. Open circuits take no ejection slot but count as unhealthy, so the
     * service enters panic (and routes to all) instead of saying "2 healthy" while admitting nobody.
     */
    @Test
    void openCircuitsCountAgainstThePanicThresholdButNotAgainstTheEjectionCap() {
        CircuitConfig circuit = new CircuitConfig(true, 3, 0.0, null, null, Duration.ofSeconds(2), 1);
        ServiceHealth s = new ServiceHealth("api", new ServiceConfig(null, null, null, null, null, null,
                outlier(3, 50, 50), null, circuit, null, null), events);
        List<BackendHealth> bs = join(s, 3);
        for (BackendHealth b : bs) {
            record(b, 0, Outcome.GATEWAY_STATUS, 3);
        }
        assertThat(s.ejected()).as("the cap still holds").isEqualTo(1);
        assertThat(events.count("skipped")).isEqualTo(2);
        assertThat(s.healthy()).isZero();
        assertThat(s.inPanic(0)).isTrue();
        for (BackendHealth b : bs) {
            assertThat(b.available(0)).isFalse();
            assertThat(b.admitsInPanic(0)).isTrue();
            assertThat(b.tryAcquire(0, true)).isNotEqualTo(BackendHealth.REJECTED);
        }

        // The circuits of b2 and b3 close after a successful trial; b1's ejection is over by then but
        // its circuit has not been tried yet, so it does not count as healthy.
        record(bs.get(1), 2000 * MS, Outcome.SUCCESS, 1);
        assertThat(s.inPanic(2000 * MS)).as("1 of 3").isTrue();
        record(bs.get(2), 2000 * MS, Outcome.SUCCESS, 1);
        assertThat(s.inPanic(2000 * MS)).isFalse();
        assertThat(s.healthy()).isEqualTo(2);
        assertThat(events.lines()).filteredOn(l -> l.startsWith("panic"))
                .containsExactly("panic api true 1/3", "panic api false 2/3");
    }

    @Test
    void panicWhenHealthyShareFallsBelowThresholdReportedOnceEachWay() {
        ServiceHealth s = service(outlier(3, 100, 50));
        List<BackendHealth> bs = join(s, 4);
        record(bs.get(0), 0, Outcome.TIMEOUT, 3);
        record(bs.get(1), 0, Outcome.TIMEOUT, 3);
        assertThat(s.inPanic(0)).as("2 of 4 healthy is not below 50%").isFalse();

        record(bs.get(2), 500 * MS, Outcome.TIMEOUT, 3);
        assertThat(s.inPanic(500 * MS)).isTrue();
        assertThat(s.inPanic(600 * MS)).isTrue();
        assertThat(bs.get(2).admitsInPanic(600 * MS)).isTrue();

        // b1 and b2 come back at 1000 ms; nobody asks them, the panic check sweeps
        assertThat(s.inPanic(1000 * MS)).isFalse();
        assertThat(s.ejected()).isEqualTo(1);
        assertThat(s.healthy()).isEqualTo(3);
        // reported at the moment it happened: when the first of the two returned
        assertThat(events.lines()).filteredOn(l -> l.startsWith("panic"))
                .containsExactly("panic api true 1/4", "panic api false 2/4");
    }

    @Test
    void healthSignalsCountTowardsPanic() {
        ServiceHealth s = service(outlier(3, 50, 50));
        List<BackendHealth> bs = join(s, 4);
        bs.get(0).markUnhealthy(BackendHealth.Signal.DISCOVERY, "consul: critical");
        bs.get(1).markUnhealthy(BackendHealth.Signal.ACTIVE_CHECK, "3 checks failed");
        bs.get(2).markUnhealthy(BackendHealth.Signal.ACTIVE_CHECK, "3 checks failed");
        bs.get(2).markUnhealthy(BackendHealth.Signal.DISCOVERY, "consul: critical");
        assertThat(s.healthy()).isEqualTo(1);
        assertThat(s.inPanic(0)).isTrue();

        bs.get(2).markHealthy(BackendHealth.Signal.ACTIVE_CHECK, "2 checks passed");
        assertThat(s.healthy()).as("still failing discovery").isEqualTo(1);
        bs.get(2).markHealthy(BackendHealth.Signal.DISCOVERY, "consul: passing");
        assertThat(s.healthy()).isEqualTo(2);
        assertThat(s.inPanic(0)).isFalse();
        assertThat(events.count("panic")).isEqualTo(2);
    }

    @Test
    void leavingMemberNoLongerCounts() {
        ServiceHealth s = service(outlier(3, 50, 50));
        List<BackendHealth> bs = join(s, 2);
        record(bs.get(0), 0, Outcome.TIMEOUT, 3);
        bs.get(1).markUnhealthy(BackendHealth.Signal.DISCOVERY, "critical");
        assertThat(s.inPanic(0)).isTrue();

        s.leave(bs.get(0));
        s.leave(bs.get(0));
        assertThat(s.members()).isEqualTo(1);
        assertThat(s.ejected()).isZero();
        assertThat(s.healthy()).isZero();
        s.leave(bs.get(1));
        assertThat(s.members()).isZero();
        assertThat(s.healthy()).isZero();
        assertThat(s.inPanic(0)).as("no members, nothing to panic about").isFalse();

        assertThat(bs.get(0).available(5000 * MS)).as("a detached backend still answers").isTrue();
        assertThat(s.ejected()).isZero();
    }

    @Test
    void classifiesConfiguredFailureStatuses() {
        ServiceHealth s = service(outlier(3, 50, 50));
        assertThat(s.classify(502)).isEqualTo(Outcome.GATEWAY_STATUS);
        assertThat(s.classify(504)).isEqualTo(Outcome.GATEWAY_STATUS);
        assertThat(s.classify(500)).isEqualTo(Outcome.SUCCESS);
        assertThat(s.classify(200)).isEqualTo(Outcome.SUCCESS);
        assertThat(s.classify(999)).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> service(outlier(3, 101, 50)))
                .hasMessage("outlier.maxEjectionPercent: 101 (expected: 0..100)");
        assertThatThrownBy(() -> service(new OutlierConfig(null, List.of(42), null, null, null, null, null, null, null)))
                .hasMessage("outlier.failureStatuses: 42 (expected: 100..599)");
        assertThatThrownBy(() -> service(new OutlierConfig(null, null, null, null, null, Duration.ofSeconds(10),
                Duration.ofSeconds(1), null, null)))
                .hasMessage("outlier.maxEjectionTime: PT1S (expected: >= baseEjectionTime PT10S)");
    }
}
