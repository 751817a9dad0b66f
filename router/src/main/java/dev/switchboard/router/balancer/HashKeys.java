package dev.switchboard.router.balancer;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * 64-bit hashing for consistent hashing: XXH64 (seed 0) of bytes or of a string's UTF-8 form, and a
 * 64-bit mixer. The proxy computes {@link SelectionContext#hashKey()} with these; {@link RingHash}
 * and {@link Maglev} place endpoints with them. Every router instance computes the same values, so
 * the same key reaches the same backend through any of them.
 *
 * <p>Strings that are pure ASCII (client IPs, typical headers, cookies and paths) are hashed without
 * allocating; others are encoded to UTF-8 first.
 */
public final class HashKeys {

    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private HashKeys() {
    }

    /** XXH64 of {@code bytes} with seed 0. */
    public static long hash(byte[] bytes) {
        return xxh64(bytes, null, bytes.length);
    }

    /** XXH64 of the UTF-8 encoding of {@code s} with seed 0. */
    public static long hash(CharSequence s) {
        int len = s.length();
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) >= 0x80) {
                return hash(s.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return xxh64(null, s, len);
    }

    /** XXH64 of the address bytes (4 for IPv4, 16 for IPv6), e.g. a client IP for {@code client_ip} keys. */
    public static long hash(InetAddress address) {
        return hash(address.getAddress());
    }

    /**
     * A bijective 64-bit finalizer (SplitMix64's): spreads keys that differ in few bits over the whole
     * range. Selectors apply it to {@link SelectionContext#hashKey()} before lookup, so even poor keys
     * (small integers) spread evenly.
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One of {@code b} or {@code s} is non-null; {@code s} is pure ASCII. */
    private static long xxh64(byte[] b, CharSequence s, int len) {
        int i = 0;
        long h;
        if (len >= 32) {
            long v1 = P1 + P2;
            long v2 = P2;
            long v3 = 0;
            long v4 = -P1;
            int limit = len - 32;
            do {
                v1 = round(v1, long64(b, s, i));
                v2 = round(v2, long64(b, s, i + 8));
                v3 = round(v3, long64(b, s, i + 16));
                v4 = round(v4, long64(b, s, i + 24));
                i += 32;
            } while (i <= limit);
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = P5;
        }
        h += len;
        for (; i + 8 <= len; i += 8) {
            h ^= round(0, long64(b, s, i));
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        if (i + 4 <= len) {
            h ^= (long32(b, s, i) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            i += 4;
        }
        for (; i < len; i++) {
            h ^= byteAt(b, s, i) * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long merge(long acc, long v) {
        acc ^= round(0, v);
        return acc * P1 + P4;
    }

    private static long byteAt(byte[] b, CharSequence s, int i) {
        return b != null ? b[i] & 0xFF : s.charAt(i) & 0xFF;
    }

    private static long long32(byte[] b, CharSequence s, int i) {
        return byteAt(b, s, i) | byteAt(b, s, i + 1) << 8 | byteAt(b, s, i + 2) << 16 | byteAt(b, s, i + 3) << 24;
    }

    private static long long64(byte[] b, CharSequence s, int i) {
        return long32(b, s, i) & 0xFFFFFFFFL | long32(b, s, i + 4) << 32;
    }
}
