package dev.switchboard.router.health;

import static dev.switchboard.router.health.CircuitBreaker.REJECTED;
import static dev.switchboard.router.health.CircuitBreaker.State.CLOSED;
import static dev.switchboard.router.health.CircuitBreaker.State.HALF_OPEN;
import static dev.switchboard.router.health.CircuitBreaker.State.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.discovery.InstanceId;
import dev.switchboard.router.config.ServiceConfig.CircuitConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private static final long MS = 1_000_000L;
    private static final InstanceId ID = new InstanceId("n1", "api-1");

    private final RecordingEvents events = new RecordingEvents();
    // 3 in a row, or ratio 0.5 over >= 10 requests in 10 s; open 1 s; 2 trials
    private final CircuitBreaker cb = breaker(new CircuitConfig(true, 3, 0.5, 10, Duration.ofSeconds(10),
            Duration.ofSeconds(1), 2));

    private CircuitBreaker breaker(CircuitConfig config) {
        return new CircuitBreaker("api", ID, config, events);
    }

    private void run(long now, Outcome outcome) {
        long permit = cb.tryAcquire(now);
        assertThat(permit).isNotEqualTo(REJECTED);
        cb.onResult(permit, outcome, now);
    }

    private void open(long now) {
        for (int i = 0; i < 3; i++) {
            run(now, Outcome.CONNECT_FAILURE);
        }
        assertThat(cb.state(now)).isEqualTo(OPEN);
    }

    @Test
    void consecutiveFailuresOpenAndASuccessResetsTheRun() {
        run(0, Outcome.TIMEOUT);
        run(0, Outcome.RESET);
        run(0, Outcome.SUCCESS);
        run(0, Outcome.GATEWAY_STATUS);
        run(0, Outcome.GATEWAY_STATUS);
        assertThat(cb.state(0)).isEqualTo(CLOSED);

        run(0, Outcome.CONNECT_FAILURE);
        assertThat(cb.state(0)).isEqualTo(OPEN);
        assertThat(events.lines()).containsExactly(
                "circuit n1/api-1 CLOSED->OPEN 3 failures in a row, last CONNECT_FAILURE");
    }

    @Test
    void failureRatioOpensOnlyAfterMinRequests() {
        for (int i = 0; i < 4; i++) {
            run(i * MS, Outcome.SUCCESS);
            run(i * MS, Outcome.TIMEOUT);
        }
        assertThat(cb.state(10 * MS)).as("8 requests < minRequests 10").isEqualTo(CLOSED);
        run(10 * MS, Outcome.SUCCESS);
        run(10 * MS, Outcome.TIMEOUT); // 10 requests, 5 failures = 0.5
        assertThat(cb.state(10 * MS)).isEqualTo(OPEN);
        assertThat(events.lines()).containsExactly(
                "circuit n1/api-1 CLOSED->OPEN failure ratio 0.50 over 10 requests (threshold 0.50)");
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        CircuitConfig ratioOnly = new CircuitConfig(true, 0, 0.5, 10, Duration.ofSeconds(10), Duration.ofSeconds(1), 2);
        CircuitBreaker soon = breaker(ratioOnly);
        CircuitBreaker late = breaker(ratioOnly);
        for (int i = 0; i < 9; i++) { // 5 successes, 4 failures
            Outcome o = i % 2 == 0 ? Outcome.SUCCESS : Outcome.TIMEOUT;
            soon.onResult(soon.tryAcquire(0), o, 0);
            late.onResult(late.tryAcquire(0), o, 0);
        }
        soon.onResult(soon.tryAcquire(MS), Outcome.TIMEOUT, MS);
        late.onResult(late.tryAcquire(20_000 * MS), Outcome.TIMEOUT, 20_000 * MS);

        assertThat(soon.state(MS)).as("10 requests, half failed").isEqualTo(OPEN);
        assertThat(late.state(20_000 * MS)).as("the first nine expired").isEqualTo(CLOSED);
    }

    @Test
    void openRejectsUntilTheDurationThenAdmitsLimitedTrials() {
        open(0);
        assertThat(cb.admits(999 * MS)).isFalse();
        assertThat(cb.tryAcquire(999 * MS)).isEqualTo(REJECTED);

        assertThat(cb.admits(1000 * MS)).isTrue();
        long t1 = cb.tryAcquire(1000 * MS);
        long t2 = cb.tryAcquire(1000 * MS);
        assertThat(CircuitBreaker.isTrial(t1)).isTrue();
        assertThat(CircuitBreaker.isTrial(t2)).isTrue();
        assertThat(cb.state(1000 * MS)).isEqualTo(HALF_OPEN);
        assertThat(cb.tryAcquire(1000 * MS)).as("third trial while two in flight").isEqualTo(REJECTED);
        assertThat(cb.admits(1000 * MS)).isFalse();
        assertThat(cb.trialsInFlight()).isEqualTo(2);
    }

    @Test
    void halfOpenClosesWhenAllTrialsSucceed() {
        open(0);
        long t1 = cb.tryAcquire(1000 * MS);
        long t2 = cb.tryAcquire(1000 * MS);
        cb.onResult(t1, Outcome.SUCCESS, 1001 * MS);
        assertThat(cb.state(1001 * MS)).isEqualTo(HALF_OPEN);
        assertThat(cb.trialsInFlight()).isEqualTo(1);
        assertThat(cb.tryAcquire(1001 * MS)).as("a succeeded trial keeps its place").isEqualTo(REJECTED);
        cb.onResult(t2, Outcome.SUCCESS, 1002 * MS);
        assertThat(cb.state(1002 * MS)).isEqualTo(CLOSED);
        assertThat(events.lines()).containsExactly(
                "circuit n1/api-1 CLOSED->OPEN 3 failures in a row, last CONNECT_FAILURE",
                "circuit n1/api-1 OPEN->HALF_OPEN open for 1000 ms",
                "circuit n1/api-1 HALF_OPEN->CLOSED 2 trial requests succeeded");

        // the window was cleared on closing: two failures do not reopen, a third in a row does
        run(1003 * MS, Outcome.TIMEOUT);
        run(1003 * MS, Outcome.TIMEOUT);
        assertThat(cb.state(1003 * MS)).isEqualTo(CLOSED);
    }

    @Test
    void trialFailureReopensForAFullDuration() {
        open(0);
        long t1 = cb.tryAcquire(1000 * MS);
        cb.onResult(t1, Outcome.GATEWAY_STATUS, 1500 * MS);
        assertThat(cb.state(1500 * MS)).isEqualTo(OPEN);
        assertThat(cb.tryAcquire(2499 * MS)).isEqualTo(REJECTED);
        assertThat(cb.tryAcquire(2500 * MS)).isNotEqualTo(REJECTED);
        assertThat(events.lines()).contains("circuit n1/api-1 HALF_OPEN->OPEN trial request failed: GATEWAY_STATUS");
    }

    @Test
    void releasedOrLocallyRejectedTrialFreesItsPermitWithoutCounting() {
        open(0);
        long t1 = cb.tryAcquire(1000 * MS);
        long t2 = cb.tryAcquire(1000 * MS);
        cb.release(t1);
        cb.onResult(t2, Outcome.LOCAL_REJECT, 1000 * MS);
        assertThat(cb.state(1000 * MS)).isEqualTo(HALF_OPEN);
        assertThat(cb.trialsInFlight()).isZero();

        long t3 = cb.tryAcquire(1000 * MS);
        long t4 = cb.tryAcquire(1000 * MS);
        cb.onResult(t3, Outcome.SUCCESS, 1000 * MS);
        cb.onResult(t4, Outcome.SUCCESS, 1000 * MS);
        assertThat(cb.state(1000 * MS)).isEqualTo(CLOSED);
    }

    @Test
    void localRejectsNeverOpenTheCircuit() {
        for (int i = 0; i < 100; i++) {
            run(0, Outcome.LOCAL_REJECT);
        }
        assertThat(cb.state(0)).isEqualTo(CLOSED);
        assertThat(RollingCounter.total(cb.windowCounts(0))).isZero();
    }

    @Test
    void resultsOfRequestsAdmittedBeforeOpeningAreIgnored() {
        long slowSuccess = cb.tryAcquire(0);
        long slowFailure = cb.tryAcquire(0);
        long slowReleased = cb.tryAcquire(0);
        open(0);
        long t1 = cb.tryAcquire(1000 * MS);
        long t2 = cb.tryAcquire(1000 * MS);

        cb.onResult(slowSuccess, Outcome.SUCCESS, 1000 * MS); // must not count as a trial
        cb.onResult(slowFailure, Outcome.TIMEOUT, 1000 * MS); // must not reopen
        cb.release(slowReleased); // must not free a trial permit
        assertThat(cb.state(1000 * MS)).isEqualTo(HALF_OPEN);
        assertThat(cb.trialsInFlight()).isEqualTo(2);
        assertThat(cb.tryAcquire(1000 * MS)).isEqualTo(REJECTED);

        cb.onResult(t1, Outcome.SUCCESS, 1000 * MS);
        assertThat(cb.state(1000 * MS)).isEqualTo(HALF_OPEN);
        cb.onResult(t2, Outcome.SUCCESS, 1000 * MS);
        assertThat(cb.state(1000 * MS)).isEqualTo(CLOSED);
    }

    @Test
    void eachTransitionIsReportedOnce() {
        open(0);
        for (int i = 0; i < 5; i++) {
            cb.state(1000 * MS);
            cb.admits(1000 * MS);
        }
        assertThat(events.count("circuit n1/api-1 OPEN->HALF_OPEN")).isEqualTo(1);
        assertThat(cb.transitions()).isEqualTo(events.lines().size());
    }

    @Test
    void disabledBreakerAlwaysAdmits() {
        CircuitBreaker off = breaker(new CircuitConfig(false, 1, null, null, null, null, null));
        for (int i = 0; i < 10; i++) {
            long p = off.tryAcquire(0);
            assertThat(p).isNotEqualTo(REJECTED);
            off.onResult(p, Outcome.CONNECT_FAILURE, 0);
        }
        assertThat(off.state(0)).isEqualTo(CLOSED);
        assertThat(events.lines()).isEmpty();
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> breaker(new CircuitConfig(true, null, 1.5, null, null, null, null)))
                .hasMessage("circuit.failureRatio: 1.5 (expected: 0..1)");
        assertThatThrownBy(() -> breaker(new CircuitConfig(true, null, null, null, null, null, 0)))
                .hasMessage("circuit.halfOpenRequests: 0 (expected: >= 1)");
        assertThatThrownBy(() -> breaker(new CircuitConfig(true, null, null, null, null, Duration.ZERO, null)))
                .hasMessage("circuit.openDuration: PT0S (expected: > 0)");
    }
}
