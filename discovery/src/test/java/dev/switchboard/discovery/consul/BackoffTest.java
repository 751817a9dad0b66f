package dev.switchboard.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysStayWithinHalfToFullOfTheCappedExponential() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new Random(42));
        for (int n = 1; n <= 100; n++) {
            long cap = Math.min(30_000, 500L << Math.min(n - 1, 20));
            for (int k = 0; k < 20; k++) {
                assertThat(b.delay(n).toMillis()).as("failure %d", n).isBetween(cap / 2, cap);
            }
        }
    }

    @Test
    void jitterSpreadsRetries() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new Random(42));
        Set<Long> distinct = new HashSet<>();
        for (int k = 0; k < 50; k++) {
            distinct.add(b.delay(6).toMillis());
        }
        assertThat(distinct).hasSizeGreaterThan(40);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()))
                .hasMessageContaining("expected: 0 < min <= max");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
                .hasMessageContaining("expected");
    }
}
