package dev.switchboard.router.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Reservoir;
import com.codahale.metrics.Snapshot;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A latency reservoir of fixed size that allocates nothing per update: a count per log-linear bucket
 * (eight per power of two, so a percentile is within 12.5 % of the true value) for the current window
 * and the one before it. A snapshot covers the last one to two windows.
 *
 * <p>Why not Dropwizard's {@code LockFreeExponentiallyDecayingReservoir}: each update searches a
 * skip list and, when the sample is kept, inserts a node and removes another (about 1 % of the
 * router's Java samples in a JFR profile at 40,000 requests a second); its percentiles also keep
 * describing old traffic after a route falls quiet. Here an update is a few atomic adds.
 */
final class RecentHistogramReservoir implements Reservoir {

    static final long DEFAULT_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(30);

    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;
    /** Values below SUB have a bucket each; above, SUB buckets per power of two up to 2^63. */
    static final int BUCKETS = (64 - SUB_BITS) * SUB;

    private final Clock clock;
    private final long windowNanos;
    private final long origin;
    private final Window[] windows = {new Window(), new Window(), new Window()};

    RecentHistogramReservoir() {
        this(Clock.defaultClock(), DEFAULT_WINDOW_NANOS);
    }

    RecentHistogramReservoir(Clock clock, long windowNanos) {
        this.clock = clock;
        this.windowNanos = windowNanos;
        this.origin = clock.getTick();
    }

    @Override
    public int size() {
        return getSnapshot().size();
    }

    @Override
    public void update(long value) {
        update(value, clock.getTick());
    }

    /**
     * Records {@code value} as of {@code nowTick}, a reading of this reservoir's clock the caller
     * already took ({@code System.nanoTime()} for the default clock), so a request's end is read once.
     */
    void update(long value, long nowTick) {
        long v = Math.max(0, value);
        long epoch = (nowTick - origin) / windowNanos;
        Window w = windows[(int) (epoch % windows.length)];
        if (w.epoch != epoch) {
            w.reset(epoch);
        }
        w.counts.incrementAndGet(bucket(v));
        w.sum.addAndGet(v);
        // Most values move neither extreme: read first, and only then pay for an atomic update.
        if (v > w.max.get()) {
            w.max.accumulateAndGet(v, Math::max);
        }
        if (v < w.min.get()) {
            w.min.accumulateAndGet(v, Math::min);
        }
    }

    @Override
    public Snapshot getSnapshot() {
        long epoch = epoch();
        long[] counts = new long[BUCKETS];
        long sum = 0;
        long max = 0;
        long min = Long.MAX_VALUE;
        for (Window w : windows) {
            // The current window and the one before; a third is being recycled.
            if (w.epoch == epoch || w.epoch == epoch - 1) {
                for (int i = 0; i < BUCKETS; i++) {
                    counts[i] += w.counts.get(i);
                }
                sum += w.sum.get();
                max = Math.max(max, w.max.get());
                min = Math.min(min, w.min.get());
            }
        }
        return new HistogramSnapshot(counts, sum, min, max);
    }

    private long epoch() {
        return (clock.getTick() - origin) / windowNanos;
    }

    /** The bucket of a non-negative value: exact below SUB, then SUB per power of two. */
    static int bucket(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (exponent - SUB_BITS)) & (SUB - 1);
        return (exponent - SUB_BITS + 1) * SUB + sub;
    }

    /** The smallest value in a bucket. */
    static long lowerBound(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        int exponent = bucket / SUB + SUB_BITS - 1;
        long sub = bucket % SUB;
        return (SUB + sub) << (exponent - SUB_BITS);
    }

    /** The largest value in a bucket. */
    static long upperBound(int bucket) {
        return bucket + 1 < BUCKETS ? lowerBound(bucket + 1) - 1 : Long.MAX_VALUE;
    }

    private static final class Window {
        volatile long epoch = Long.MIN_VALUE;
        final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
        final AtomicLong sum = new AtomicLong();
        final AtomicLong max = new AtomicLong();
        final AtomicLong min = new AtomicLong(Long.MAX_VALUE);

        /**
         * Makes this window the one of {@code newEpoch}. Writers of the epoch it held last, three
         * windows ago, are long gone; writers of the new epoch wait here until it is clear.
         */
        synchronized void reset(long newEpoch) {
            if (epoch == newEpoch) {
                return;
            }
            for (int i = 0; i < BUCKETS; i++) {
                counts.set(i, 0);
            }
            sum.set(0);
            max.set(0);
            min.set(Long.MAX_VALUE);
            epoch = newEpoch;
        }
    }

    /**
     * Percentiles from bucket counts: the midpoint of the bucket that holds the quantile, kept within
     * the exact minimum and maximum (the highest quantile is the maximum).
     */
    static final class HistogramSnapshot extends Snapshot {
        private final long[] counts;
        private final long total;
        private final long sum;
        private final long min;
        private final long max;

        HistogramSnapshot(long[] counts, long sum, long min, long max) {
            this.counts = counts;
            long t = 0;
            for (long c : counts) {
                t += c;
            }
            this.total = t;
            this.sum = sum;
            this.min = t == 0 ? 0 : min;
            this.max = t == 0 ? 0 : max;
        }

        @Override
        public double getValue(double quantile) {
            if (quantile < 0.0 || quantile > 1.0 || Double.isNaN(quantile)) {
                throw new IllegalArgumentException(quantile + " is not in [0..1]");
            }
            if (total == 0) {
                return 0.0;
            }
            long rank = Math.max(1, (long) Math.ceil(quantile * total));
            if (rank >= total) {
                return max; // the extremes are known exactly
            }
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return Math.min(max, Math.max(min, representative(i)));
                }
            }
            return max;
        }

        private static long representative(int bucket) {
            long lo = lowerBound(bucket);
            return lo + (upperBound(bucket) - lo) / 2;
        }

        /** One representative value per recorded value, capped at 4096 values spread like the data. */
        @Override
        public long[] getValues() {
            int n = (int) Math.min(total, 4096);
            long[] values = new long[n];
            for (int k = 0; k < n; k++) {
                values[k] = (long) getValue((k + 0.5) / n);
            }
            return values;
        }

        @Override
        public int size() {
            return (int) Math.min(Integer.MAX_VALUE, total);
        }

        @Override
        public long getMax() {
            return max;
        }

        @Override
        public long getMin() {
            return min;
        }

        @Override
        public double getMean() {
            return total == 0 ? 0.0 : (double) sum / total;
        }

        @Override
        public double getStdDev() {
            if (total < 2) {
                return 0.0;
            }
            double mean = getMean();
            double squares = 0;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    double d = representative(i) - mean;
                    squares += d * d * counts[i];
                }
            }
            return Math.sqrt(squares / (total - 1));
        }

        @Override
        public void dump(OutputStream output) {
            try (PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(output, StandardCharsets.UTF_8))) {
                for (long v : getValues()) {
                    out.printf("%d%n", v);
                }
            }
        }
    }
}
