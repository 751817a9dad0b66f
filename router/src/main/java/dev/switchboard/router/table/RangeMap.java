package dev.switchboard.router.table;

import java.util.Map;

/**
 * An immutable open-addressing hash map whose lookups take a range of a string, so matching can
 * look up a host or a path prefix without allocating a substring. Optionally ASCII case-insensitive
 * (keys are then stored lower-case). Hashes agree with {@link String#hashCode()} for lower-case keys.
 */
final class RangeMap<V> {

    private final String[] keys;
    private final Object[] values;
    private final int mask;
    private final boolean ignoreCase;
    private final int size;

    /** @param entries keys must already be lower-case when {@code ignoreCase} */
    RangeMap(Map<String, V> entries, boolean ignoreCase) {
        int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2 + 1) - 1) << 1;
        this.keys = new String[capacity];
        this.values = new Object[capacity];
        this.mask = capacity - 1;
        this.ignoreCase = ignoreCase;
        this.size = entries.size();
        for (Map.Entry<String, V> e : entries.entrySet()) {
            String k = e.getKey();
            int i = spread(hash(k, 0, k.length())) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            values[i] = e.getValue();
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    @SuppressWarnings("unchecked")
    V get(String s, int from, int to) {
        int len = to - from;
        int i = spread(hash(s, from, to)) & mask;
        String k;
        while ((k = keys[i]) != null) {
            if (k.length() == len && regionEquals(k, s, from, len)) {
                return (V) values[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private boolean regionEquals(String key, String s, int from, int len) {
        for (int j = 0; j < len; j++) {
            char c = s.charAt(from + j);
            if (ignoreCase && c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != key.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private int hash(String s, int from, int to) {
        int h = 0;
        for (int j = from; j < to; j++) {
            char c = s.charAt(j);
            if (ignoreCase && c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            h = 31 * h + c;
        }
        return h;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
