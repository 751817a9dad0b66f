package dev.switchboard.router.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The per-request counts of a route or backend (requests, responses by status class, bytes in and
 * out) without an atomic instruction on the request path: a row of cells per IO thread, each row
 * written only by its own thread (a plain read and an opaque write, so a reader sees whole values),
 * summed when read. Rows are a cache line apart, so two IO threads counting the same backend do not
 * contend. A thread without a row of its own (not an IO thread, or more IO threads than rows) counts
 * into a shared row under a lock.
 *
 * <p>Why: Dropwizard's meter, timer and counter update five {@code LongAdder}s and read the clock on
 * every mark; recording a request into a route and a backend cost ~2.4 % of the router's CPU per
 * 100-byte request ({@code bench/RESULTS.md}, 2026-12-05).
 */
final class TrafficCells {

    static final int REQUESTS = 0;
    static final int BYTES_IN = 1;
    static final int BYTES_OUT = 2;
    /** Responses of status class {@code c} (0 other, 1..5) count in {@code RESPONSES + c}. */
    static final int RESPONSES = 3;

    /**
     * Longs per row (room for the nine fields above): 128 bytes, two cache lines, so adjacent-line
     * prefetch does not pair rows either.
     */
    private static final int ROW = 16;
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] cells;
    private final int ownRows;
    private final int sharedBase;

    /** Cells with a row for each of {@code threads} IO threads, numbered 0 to threads - 1. */
    TrafficCells(int threads) {
        this.ownRows = Math.max(1, threads);
        // a row of padding before the first and after the shared one
        this.cells = new long[(ownRows + 3) * ROW];
        this.sharedBase = (ownRows + 1) * ROW;
    }

    /**
     * Counts one request on the row of IO thread {@code thread} (its number, or -1 for a thread that
     * is not an IO thread); only that thread may pass its number.
     */
    void record(int thread, int statusClass, long in, long out) {
        if (thread < 0 || thread >= ownRows) {
            synchronized (this) {
                recordAt(sharedBase, statusClass, in, out);
            }
            return;
        }
        recordAt((thread + 1) * ROW, statusClass, in, out);
    }

    private void recordAt(int base, int statusClass, long in, long out) {
        add(base + REQUESTS, 1);
        add(base + RESPONSES + statusClass, 1);
        if (in > 0) {
            add(base + BYTES_IN, in);
        }
        if (out > 0) {
            add(base + BYTES_OUT, out);
        }
    }

    /** Adds to {@code field} from any thread (the shared row). */
    synchronized void addShared(int field, long n) {
        add(sharedBase + field, n);
    }

    private void add(int i, long n) {
        CELL.setOpaque(cells, i, cells[i] + n);
    }

    /** The total of {@code field} over all rows. */
    long sum(int field) {
        long total = 0;
        for (int base = ROW; base <= sharedBase; base += ROW) {
            total += (long) CELL.getOpaque(cells, base + field);
        }
        return total;
    }
}
