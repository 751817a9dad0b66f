package dev.switchboard.router.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

/**
 * What every request records for a route or a backend: a latency timer (which is also the request
 * count and rate), responses by status class, bytes in and out. The counts live in
 * {@link TrafficCells} (no atomic instruction per request); the latency goes to a
 * {@link RecentHistogramReservoir} (a few atomic adds).
 */
class TrafficMetrics extends MetricGroup {

    private static final String[] CLASSES = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final TrafficCells cells;
    final CellMetrics.CellTimer requests;
    final CellMetrics.CellMeter[] responses = new CellMetrics.CellMeter[CLASSES.length];
    final Counter bytesIn;
    final Counter bytesOut;

    /** {@code ioThreads}: how many IO threads record (each gets its own row of cells). */
    TrafficMetrics(MetricRegistry registry, MetricNames names, int ioThreads, String prefix, String... labels) {
        super(registry, names, labels);
        cells = new TrafficCells(ioThreads);
        requests = metric(prefix + ".requests", new CellMetrics.CellTimer(cells, new RecentHistogramReservoir()));
        for (int i = 0; i < CLASSES.length; i++) {
            responses[i] = metric(prefix + ".responses." + CLASSES[i], new CellMetrics.CellMeter(cells, TrafficCells.RESPONSES + i));
        }
        bytesIn = metric(prefix + ".bytes_in", new CellMetrics.CellCounter(cells, TrafficCells.BYTES_IN));
        bytesOut = metric(prefix + ".bytes_out", new CellMetrics.CellCounter(cells, TrafficCells.BYTES_OUT));
    }

    /** Index into {@link #responses} of a status code. */
    static int statusClass(int status) {
        int c = status / 100;
        return c >= 1 && c <= 5 ? c : 0;
    }

    /**
     * Records one request that took {@code nanos} and ended at {@code endNanos} ({@code System.nanoTime()}).
     * {@code ioThread}: the number of the calling IO thread, or -1 when the caller is not an IO
     * thread (see {@link TrafficCells#record}).
     */
    void record(int ioThread, long nanos, long endNanos, int statusClass, long in, long out) {
        requests.recordLatency(nanos, endNanos);
        cells.record(ioThread, statusClass, in, out);
    }

    /** Brings the moving-average rates up to date with the counts (the metrics sync thread). */
    void catchUpRates() {
        requests.catchUp();
        for (CellMetrics.CellMeter m : responses) {
            m.catchUp();
        }
    }
}
