package dev.switchboard.router.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Dropwizard metric types whose counts are read from {@link TrafficCells}, so every exporter (JSON,
 * Prometheus, JMX) sees them as the usual counter, meter and timer. Counts are exact at every read.
 * The moving-average rates come from an ordinary {@link Meter} fed the new count by
 * {@code catchUp()}, which the metrics sync thread calls twice a second: a rate lags the
 * traffic by at most that interval (Dropwizard's own rates move in 5-second ticks).
 */
final class CellMetrics {

    private CellMetrics() {
    }

    /** Feeds a Dropwizard meter the growth of a count since the last call. */
    private static final class RateFeed {
        private final Meter rates = new Meter();
        private long fed;

        synchronized Meter caughtUp(long count) {
            if (count > fed) {
                rates.mark(count - fed);
                fed = count;
            }
            return rates;
        }
    }

    static final class CellCounter extends Counter {
        private final TrafficCells cells;
        private final int field;

        CellCounter(TrafficCells cells, int field) {
            this.cells = cells;
            this.field = field;
        }

        @Override
        public void inc(long n) {
            cells.addShared(field, n);
        }

        @Override
        public void dec(long n) {
            cells.addShared(field, -n);
        }

        @Override
        public long getCount() {
            return cells.sum(field);
        }
    }

    static final class CellMeter extends Meter {
        private final TrafficCells cells;
        private final int field;
        private final RateFeed feed = new RateFeed();

        CellMeter(TrafficCells cells, int field) {
            this.cells = cells;
            this.field = field;
        }

        @Override
        public void mark(long n) {
            cells.addShared(field, n);
        }

        @Override
        public long getCount() {
            return cells.sum(field);
        }

        /** Brings the rates up to date with the count. */
        void catchUp() {
            feed.caughtUp(getCount());
        }

        @Override
        public double getOneMinuteRate() {
            return feed.caughtUp(getCount()).getOneMinuteRate();
        }

        @Override
        public double getFiveMinuteRate() {
            return feed.caughtUp(getCount()).getFiveMinuteRate();
        }

        @Override
        public double getFifteenMinuteRate() {
            return feed.caughtUp(getCount()).getFifteenMinuteRate();
        }

        @Override
        public double getMeanRate() {
            return feed.caughtUp(getCount()).getMeanRate();
        }
    }

    /**
     * A timer whose latencies go to its reservoir; its count and rates are those of the cells'
     * requests (a {@link CellMeter} of them).
     */
    static final class CellTimer extends Timer {
        private final TrafficCells cells;
        private final RecentHistogramReservoir reservoir;
        private final CellMeter requests;

        CellTimer(TrafficCells cells, RecentHistogramReservoir reservoir) {
            super(reservoir);
            this.cells = cells;
            this.reservoir = reservoir;
            this.requests = new CellMeter(cells, TrafficCells.REQUESTS);
        }

        /**
         * Records a latency only, as of {@code nowNanos} ({@code System.nanoTime()} at the end): the
         * request itself is counted by {@link TrafficCells#record}.
         */
        void recordLatency(long nanos, long nowNanos) {
            reservoir.update(nanos, nowNanos);
        }

        @Override
        public void update(long duration, TimeUnit unit) {
            if (duration >= 0) {
                reservoir.update(unit.toNanos(duration));
                cells.addShared(TrafficCells.REQUESTS, 1);
            }
        }

        @Override
        public void update(java.time.Duration duration) {
            update(duration.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public <T> T time(java.util.concurrent.Callable<T> event) throws Exception {
            long start = System.nanoTime();
            try {
                return event.call();
            } finally {
                update(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public <T> T timeSupplier(java.util.function.Supplier<T> event) {
            long start = System.nanoTime();
            try {
                return event.get();
            } finally {
                update(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void time(Runnable event) {
            timeSupplier(() -> {
                event.run();
                return null;
            });
        }

        @Override
        public long getCount() {
            return requests.getCount();
        }

        /** Brings the rates up to date with the count. */
        void catchUp() {
            requests.catchUp();
        }

        @Override
        public double getOneMinuteRate() {
            return requests.getOneMinuteRate();
        }

        @Override
        public double getFiveMinuteRate() {
            return requests.getFiveMinuteRate();
        }

        @Override
        public double getFifteenMinuteRate() {
            return requests.getFifteenMinuteRate();
        }

        @Override
        public double getMeanRate() {
            return requests.getMeanRate();
        }
    }
}
