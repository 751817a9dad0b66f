package dev.switchboard.router.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RollingCounterTest {

    private static final long SECOND = 1_000_000_000L;
    private final RollingCounter counter = new RollingCounter(Duration.ofSeconds(10), 10);

    @Test
    void countsSuccessesAndFailuresWithinTheWindow() {
        long t = 123 * SECOND;
        counter.recordSuccess(t);
        counter.recordSuccess(t + SECOND);
        counter.recordFailure(t + 2 * SECOND);

        long sum = counter.sum(t + 2 * SECOND);
        assertThat(RollingCounter.successes(sum)).isEqualTo(2);
        assertThat(RollingCounter.failures(sum)).isEqualTo(1);
        assertThat(RollingCounter.total(sum)).isEqualTo(3);
    }

    @Test
    void oldBucketsExpireOneByOne() {
        long t = 50 * SECOND;
        counter.recordFailure(t);
        counter.recordSuccess(t + 5 * SECOND);

        assertThat(RollingCounter.total(counter.sum(t + 9 * SECOND))).isEqualTo(2);
        assertThat(RollingCounter.failures(counter.sum(t + 10 * SECOND))).isZero();
        assertThat(RollingCounter.successes(counter.sum(t + 10 * SECOND))).isEqualTo(1);
        assertThat(RollingCounter.total(counter.sum(t + 15 * SECOND))).isZero();
    }

    @Test
    void reusedSlotStartsFromZero() {
        long t = 7 * SECOND;
        counter.recordFailure(t);
        counter.recordFailure(t + 10 * SECOND); // same slot, next lap

        long sum = counter.sum(t + 10 * SECOND);
        assertThat(RollingCounter.failures(sum)).isEqualTo(1);
    }

    @Test
    void sampleOlderThanItsSlotIsDropped() {
        long t = 7 * SECOND;
        counter.recordSuccess(t + 10 * SECOND);
        counter.recordFailure(t); // a late writer with a stale clock reading

        long sum = counter.sum(t + 10 * SECOND);
        assertThat(RollingCounter.failures(sum)).isZero();
        assertThat(RollingCounter.successes(sum)).isEqualTo(1);
    }

    @Test
    void negativeClockReadingsWork() {
        long t = -3 * SECOND - 1;
        counter.recordFailure(t);
        counter.recordSuccess(t + SECOND);

        assertThat(RollingCounter.total(counter.sum(t + SECOND))).isEqualTo(2);
    }

    @Test
    void bucketCountSaturatesInsteadOfOverflowingIntoTheOtherCount() {
        RollingCounter one = new RollingCounter(Duration.ofSeconds(1), 1);
        for (int i = 0; i < (1 << 20) + 5; i++) {
            one.recordSuccess(0);
        }
        long sum = one.sum(0);
        assertThat(RollingCounter.successes(sum)).isEqualTo((1 << 20) - 1);
        assertThat(RollingCounter.failures(sum)).isZero();
    }

    @Test
    void resetForgetsEverything() {
        counter.recordFailure(SECOND);
        counter.reset();
        assertThat(RollingCounter.total(counter.sum(SECOND))).isZero();
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> new RollingCounter(Duration.ZERO, 10))
                .hasMessage("window: PT0S (expected: > 0)");
        assertThatThrownBy(() -> new RollingCounter(Duration.ofSeconds(1), 0))
                .hasMessage("buckets: 0 (expected: 1..60)");
    }
}
