package dev.switchboard.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentHistogramReservoirTest {

    private static final long WINDOW = 30_000_000_000L;

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        final AtomicLong now = new AtomicLong(1_000);

        @Override
        public long getTick() {
            return now.get();
        }
    }

    @Test
    void everyValueFallsInsideItsBucketAndBucketsAreAtMostAnEighthWide() {
        SplittableRandom random = new SplittableRandom(7);
        List<Long> values = new ArrayList<>(List.of(0L, 1L, 7L, 8L, 15L, 16L, 1_000L, Long.MAX_VALUE));
        for (int i = 0; i < 100_000; i++) {
            values.add(random.nextLong(0, Long.MAX_VALUE) >>> random.nextInt(0, 63));
        }
        for (long v : values) {
            int b = RecentHistogramReservoir.bucket(v);
            assertThat(b).isBetween(0, RecentHistogramReservoir.BUCKETS - 1);
            long lo = RecentHistogramReservoir.lowerBound(b);
            long hi = RecentHistogramReservoir.upperBound(b);
            assertThat(v).as("value %d in bucket %d", v, b).isBetween(lo, hi);
            if (lo >= 8 && hi != Long.MAX_VALUE) {
                assertThat(hi - lo + 1).isLessThanOrEqualTo(lo / 8);
            }
        }
    }

    @Test
    void percentilesAreWithinTheBucketPrecision() {
        RecentHistogramReservoir r = new RecentHistogramReservoir(new ManualClock(), WINDOW);
        // 1 µs .. 100 ms in 1 µs steps, as latencies in nanoseconds
        for (long us = 1; us <= 100_000; us++) {
            r.update(us * 1_000);
        }
        Snapshot s = r.getSnapshot();
        assertThat(s.size()).isEqualTo(100_000);
        assertThat(s.getMin()).isEqualTo(1_000);
        assertThat(s.getMax()).isEqualTo(100_000_000);
        assertThat(s.getMean()).isCloseTo(50_000_500.0, within(1.0));
        assertThat(s.getMedian()).isCloseTo(50_000_000.0, within(50_000_000 * 0.07));
        assertThat(s.get99thPercentile()).isCloseTo(99_000_000.0, within(99_000_000 * 0.07));
        assertThat(s.get999thPercentile()).isCloseTo(99_900_000.0, within(99_900_000 * 0.07));
        assertThat(s.getValue(0.0)).isEqualTo(1_000.0);
        assertThat(s.getValue(1.0)).isEqualTo(100_000_000.0);
        assertThat(s.getValues()).hasSize(4096).isSorted();
    }

    @Test
    void aSnapshotCoversTheCurrentAndThePreviousWindowOnly() {
        ManualClock clock = new ManualClock();
        RecentHistogramReservoir r = new RecentHistogramReservoir(clock, WINDOW);
        r.update(5_000_000);
        clock.now.addAndGet(WINDOW);
        r.update(1_000_000);
        Snapshot both = r.getSnapshot();
        assertThat(both.size()).isEqualTo(2);
        assertThat(both.getMax()).isEqualTo(5_000_000);

        clock.now.addAndGet(WINDOW);
        Snapshot second = r.getSnapshot();
        assertThat(second.size()).isEqualTo(1);
        assertThat(second.getMax()).isEqualTo(1_000_000);

        clock.now.addAndGet(WINDOW);
        r.update(2_000_000); // recycles the first window's slot
        Snapshot recycled = r.getSnapshot();
        assertThat(recycled.size()).isEqualTo(1);
        assertThat(recycled.getMin()).isEqualTo(2_000_000);
        assertThat(recycled.getMax()).isEqualTo(2_000_000);

        clock.now.addAndGet(3 * WINDOW);
        Snapshot empty = r.getSnapshot();
        assertThat(empty.size()).isZero();
        assertThat(empty.get99thPercentile()).isZero();
        assertThat(empty.getMean()).isZero();
        assertThat(empty.getMin()).isZero();
        assertThat(empty.getValues()).isEmpty();
    }

    @Test
    void anUpdateWithTheCallersClockReadingLandsInThatReadingsWindow() {
        ManualClock clock = new ManualClock();
        RecentHistogramReservoir r = new RecentHistogramReservoir(clock, WINDOW);
        long start = clock.getTick();
        r.update(7_000_000, start); // the reservoir's own clock is not read
        clock.now.addAndGet(2 * WINDOW);
        r.update(3_000_000, start + 2 * WINDOW);

        Snapshot latest = r.getSnapshot();
        assertThat(latest.size()).isEqualTo(1); // the first value is two windows old
        assertThat(latest.getMax()).isEqualTo(3_000_000);

        r.update(4_000_000, start + WINDOW); // a reading from the window before: still counted
        assertThat(r.getSnapshot().size()).isEqualTo(2);
    }

    @Test
    void concurrentUpdatesAreAllCounted() throws Exception {
        RecentHistogramReservoir r = new RecentHistogramReservoir(new ManualClock(), WINDOW);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            long base = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    r.update(base * 1_000 + i);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        Snapshot s = r.getSnapshot();
        assertThat(s.size()).isEqualTo(400_000);
        assertThat(s.getMin()).isZero();
        assertThat(s.getMax()).isEqualTo(3_000 + 99_999);
    }

    @Test
    void negativeDurationsCountAsZero() {
        RecentHistogramReservoir r = new RecentHistogramReservoir(new ManualClock(), WINDOW);
        r.update(-5);
        assertThat(r.getSnapshot().getMax()).isZero();
        assertThat(r.size()).isEqualTo(1);
    }
}
