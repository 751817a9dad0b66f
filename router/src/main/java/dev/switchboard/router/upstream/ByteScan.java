package dev.switchboard.router.upstream;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Scans a byte array eight bytes at a time for the bytes a head parser stops at. Each word is
 * tested with the "has a byte less than n" bit trick: subtracting n from every byte borrows out of
 * exactly the bytes below it, and the lowest byte flagged is always a true one (a borrow only
 * carries upwards), so the first match is exact. Bytes 0x80–0xFF (obs-text) are never flagged.
 */
final class ByteScan {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LINE_FEEDS = ONES * '\n';
    private static final long SPACES = ONES * ' ';
    private static final long DELETES = ONES * 0x7F;

    private ByteScan() {
    }

    /** Index of the first {@code '\n'} in {@code b[from, limit)}, or {@code limit}. */
    static int lineFeed(byte[] b, int from, int limit) {
        int i = from;
        for (; i + Long.BYTES <= limit; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i) ^ LINE_FEEDS;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < limit; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return limit;
    }

    /**
     * Index of the first control byte other than tab in {@code b[from, limit)} (CR and LF included),
     * or {@code limit}: where a header value or reason phrase ends or turns invalid.
     */
    static int controlButTab(byte[] b, int from, int limit) {
        int i = control(b, from, limit);
        while (i < limit && b[i] == '\t') {
            i = control(b, i + 1, limit);
        }
        return i;
    }

    /**
     * Index of the first control byte in {@code b[from, limit)} — below 0x20 (tab, CR and LF
     * included) or DEL — or {@code limit}.
     */
    static int control(byte[] b, int from, int limit) {
        int i = from;
        for (; i + Long.BYTES <= limit; i += Long.BYTES) {
            long w = (long) LONGS.get(b, i);
            long del = w ^ DELETES;
            long found = ((w - SPACES) & ~w | (del - ONES) & ~del) & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < limit; i++) {
            byte c = b[i];
            if (c >= 0 && c < ' ' || c == 0x7F) {
                return i;
            }
        }
        return limit;
    }
}
