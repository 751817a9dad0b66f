package dev.switchboard.router.health;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Success and failure counts over a sliding time window, lock-free and allocation-free.
 *
 * <p>The window is split into {@code buckets} equal buckets. Each bucket is one {@code long} holding
 * a 24-bit epoch tag (which bucket-width interval it counts) and two saturating 20-bit counts
 * (about a million per bucket). A writer that finds an older tag in its slot replaces the whole word
 * with one CAS, so expiring a bucket and counting into it cannot interleave. The window reported by
 * {@link #sum} is the current, partly filled bucket plus the {@code buckets - 1} before it.
 *
 * <p>Tags are the epoch modulo 2<sup>24</sup>: a bucket left untouched for exactly a multiple of
 * 2<sup>24</sup> bucket widths (19 days at 100 ms buckets) would be read as current for one window.
 * That is the price of one-word buckets; it cannot corrupt counts that are being written.
 *
 * <p>Timestamps are monotonic nanoseconds from the caller's injected clock.
 */
public final class RollingCounter {

    private static final int COUNT_BITS = 20;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
    private static final int TAG_SHIFT = 2 * COUNT_BITS;
    private static final long TAG_MASK = (1L << (64 - TAG_SHIFT)) - 1;
    private static final long ONE_SUCCESS = 1L;
    private static final long ONE_FAILURE = 1L << COUNT_BITS;

    private final AtomicLongArray words;
    private final int buckets;
    private final long bucketNanos;

    /**
     * @param window  the span counted, &gt; 0
     * @param buckets number of buckets, 1..60; more buckets expire old counts more smoothly
     */
    public RollingCounter(Duration window, int buckets) {
        if (buckets < 1 || buckets > 60) {
            throw new IllegalArgumentException("buckets: " + buckets + " (expected: 1..60)");
        }
        if (window == null || window.toNanos() < buckets) {
            throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
        }
        this.buckets = buckets;
        this.bucketNanos = window.toNanos() / buckets;
        this.words = new AtomicLongArray(buckets);
    }

    public void recordSuccess(long nowNanos) {
        add(nowNanos, ONE_SUCCESS);
    }

    public void recordFailure(long nowNanos) {
        add(nowNanos, ONE_FAILURE);
    }

    /**
     * Counts in the window ending at {@code nowNanos}, packed into one long so that reading them does
     * not allocate; take them apart with {@link #successes(long)}, {@link #failures(long)}, {@link #total(long)}.
     */
    public long sum(long nowNanos) {
        long epoch = Math.floorDiv(nowNanos, bucketNanos);
        long successes = 0;
        long failures = 0;
        for (int k = 0; k < buckets; k++) {
            long e = epoch - k;
            long w = words.get(slot(e));
            if (tagOf(w) == (e & TAG_MASK)) {
                successes += w & COUNT_MASK;
                failures += (w >>> COUNT_BITS) & COUNT_MASK;
            }
        }
        return pack(successes, failures);
    }

    public static long successes(long sum) {
        return sum & 0xFFFF_FFFFL;
    }

    public static long failures(long sum) {
        return sum >>> 32;
    }

    public static long total(long sum) {
        return successes(sum) + failures(sum);
    }

    /** Forgets everything. Counts written concurrently with a reset may be lost. */
    public void reset() {
        for (int i = 0; i < buckets; i++) {
            words.set(i, 0L);
        }
    }

    /**
     * Records a failure only if, counting it, failures stay within
     * {@code ratio * successes + reserve} over the window. The check and the increment of the current
     * bucket are one CAS, so concurrent callers cannot overspend (except by a sample racing a bucket
     * rollover). Used by {@link RetryBudget}, which counts requests as successes and retries as failures.
     */
    boolean tryRecordFailureWithin(long nowNanos, double ratio, long reserve) {
        long epoch = Math.floorDiv(nowNanos, bucketNanos);
        int current = slot(epoch);
        long tag = epoch & TAG_MASK;
        for (;;) {
            long successes = 0;
            long failures = 0;
            for (int k = 1; k < buckets; k++) {
                long e = epoch - k;
                long w = words.get(slot(e));
                if (tagOf(w) == (e & TAG_MASK)) {
                    successes += w & COUNT_MASK;
                    failures += (w >>> COUNT_BITS) & COUNT_MASK;
                }
            }
            long w = words.get(current);
            long base;
            long d = tagDistance(tag, tagOf(w));
            if (d == 0) {
                base = w;
            } else if (d > 0 || isEmpty(w)) {
                base = tag << TAG_SHIFT;
            } else {
                return false; // the clock went backwards past a newer bucket; refuse rather than miscount
            }
            successes += base & COUNT_MASK;
            failures += (base >>> COUNT_BITS) & COUNT_MASK;
            if (failures + 1 > ratio * successes + reserve) {
                return false;
            }
            long next = saturatingAdd(base, ONE_FAILURE);
            if (next == base || words.compareAndSet(current, w, next)) {
                return true;
            }
        }
    }

    private void add(long nowNanos, long delta) {
        long epoch = Math.floorDiv(nowNanos, bucketNanos);
        int i = slot(epoch);
        long tag = epoch & TAG_MASK;
        for (;;) {
            long w = words.get(i);
            long d = tagDistance(tag, tagOf(w));
            long next;
            if (d == 0) {
                next = saturatingAdd(w, delta);
                if (next == w) {
                    return;
                }
            } else if (d > 0 || isEmpty(w)) {
                next = (tag << TAG_SHIFT) | delta;
            } else {
                return; // a sample older than what this slot holds now: its window has passed
            }
            if (words.compareAndSet(i, w, next)) {
                return;
            }
        }
    }

    private int slot(long epoch) {
        return (int) Math.floorMod(epoch, (long) buckets);
    }

    /** No counts: nothing is lost by retagging it, whatever its tag (all slots start as 0). */
    private static boolean isEmpty(long word) {
        return (word & ((1L << TAG_SHIFT) - 1)) == 0;
    }

    private static long tagOf(long word) {
        return word >>> TAG_SHIFT;
    }

    /** Signed distance from tag {@code b} to tag {@code a}, modulo 2^24. */
    private static long tagDistance(long a, long b) {
        return ((a - b) << TAG_SHIFT) >> TAG_SHIFT;
    }

    private static long saturatingAdd(long word, long delta) {
        long field = delta == ONE_SUCCESS ? word & COUNT_MASK : (word >>> COUNT_BITS) & COUNT_MASK;
        return field == COUNT_MASK ? word : word + delta;
    }

    private static long pack(long successes, long failures) {
        return (failures << 32) | successes;
    }
}
