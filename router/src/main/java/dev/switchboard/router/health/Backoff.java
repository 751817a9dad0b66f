package dev.switchboard.router.health;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter between a request's tries: before retry {@code n} (1 for the
 * first retry) wait a uniformly random time in {@code [0, min(max, base × 2^(n-1))]}. Full jitter
 * spreads retries of many clients that failed together instead of bunching them at fixed delays.
 * Immutable; the randomness is passed in, so tests are deterministic.
 */
public final class Backoff {

    private final long baseNanos;
    private final long maxNanos;

    public Backoff(Duration base, Duration max) {
        this.baseNanos = CircuitBreaker.requirePositive("retry.backoffBase", base);
        if (max.compareTo(base) < 0) {
            throw new IllegalArgumentException("retry.backoffMax: " + max + " (expected: >= backoffBase " + base + ")");
        }
        this.maxNanos = max.toNanos();
    }

    /** The upper bound of the delay before retry {@code retry} (&ge; 1). */
    public long ceilingNanos(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry: " + retry + " (expected: >= 1)");
        }
        int shift = retry - 1;
        if (shift >= Long.numberOfLeadingZeros(baseNanos)) {
            return maxNanos; // base << shift would overflow
        }
        return Math.min(maxNanos, baseNanos << shift);
    }

    /** A random delay in {@code [0, ceilingNanos(retry)]}. */
    public long delayNanos(int retry, RandomGenerator random) {
        long ceiling = ceilingNanos(retry);
        return ceiling == Long.MAX_VALUE ? random.nextLong(ceiling) : random.nextLong(ceiling + 1);
    }
}
