package dev.switchboard.router.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final long MS = 1_000_000L;
    private final Backoff backoff = new Backoff(Duration.ofMillis(5), Duration.ofMillis(250));

    @Test
    void ceilingDoublesPerRetryUpToTheMax() {
        long[] ceilings = new long[9];
        for (int retry = 1; retry <= 9; retry++) {
            ceilings[retry - 1] = backoff.ceilingNanos(retry) / MS;
        }
        assertThat(ceilings).containsExactly(5, 10, 20, 40, 80, 160, 250, 250, 250);
        assertThat(backoff.ceilingNanos(1_000)).isEqualTo(250 * MS);
        assertThat(backoff.ceilingNanos(Integer.MAX_VALUE)).isEqualTo(250 * MS);
    }

    @Test
    void delaysAreFullJitterWithinZeroAndTheCeiling() {
        SplittableRandom random = new SplittableRandom(42);
        int n = 20_000;
        long min = Long.MAX_VALUE;
        long max = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            long d = backoff.delayNanos(3, random);
            assertThat(d).isBetween(0L, 20 * MS);
            min = Math.min(min, d);
            max = Math.max(max, d);
            sum += d;
        }
        // uniform on [0, 20 ms]: mean 10 ms; with 20k samples the mean is within 2% (many sigmas)
        assertThat(sum / n / MS).isCloseTo(10.0, within(0.2));
        assertThat(min).isLessThan(MS / 5);
        assertThat(max).isGreaterThan(20 * MS - MS / 5);
    }

    @Test
    void sameSeedSameDelays() {
        long a = backoff.delayNanos(4, new SplittableRandom(7));
        long b = backoff.delayNanos(4, new SplittableRandom(7));
        assertThat(a).isEqualTo(b);
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofMillis(1)))
                .hasMessage("retry.backoffBase: PT0S (expected: > 0)");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(10), Duration.ofMillis(5)))
                .hasMessage("retry.backoffMax: PT0.005S (expected: >= backoffBase PT0.01S)");
        assertThatThrownBy(() -> backoff.ceilingNanos(0)).hasMessage("retry: 0 (expected: >= 1)");
    }
}
