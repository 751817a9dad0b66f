package dev.switchboard.discovery.consul;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Jittered exponential backoff: after the n-th consecutive failure, a delay drawn uniformly from
 * [d/2, d] where d = min(max, min * 2^(n-1)). Jitter keeps many watches that failed together
 * (Consul restart) from retrying in lockstep.
 */
public final class Backoff {

    private final long minNanos;
    private final long maxNanos;
    private final Random random;

    public Backoff(Duration min, Duration max, Random random) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.random = Objects.requireNonNull(random, "random");
        if (minNanos <= 0 || maxNanos < minNanos) {
            throw new IllegalArgumentException("backoff: " + min + " .. " + max + " (expected: 0 < min <= max)");
        }
    }

    /** The delay before retrying after {@code failures} consecutive failures (&ge; 1). */
    public Duration delay(int failures) {
        int shift = Math.min(Math.max(failures, 1) - 1, 40);
        long d = minNanos;
        for (int i = 0; i < shift && d < maxNanos; i++) {
            d = d * 2;
        }
        d = Math.min(d, maxNanos);
        long half = d / 2;
        long jitter = half <= 0 ? 0 : (long) (random.nextDouble() * (d - half + 1));
        return Duration.ofNanos(half + jitter);
    }

    public Duration max() {
        return Duration.ofNanos(maxNanos);
    }
}
