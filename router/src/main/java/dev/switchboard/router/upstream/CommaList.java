package dev.switchboard.router.upstream;

import io.undertow.util.HeaderValues;
import java.util.ArrayList;
import java.util.List;

/**
 * The elements of comma-separated header field values (RFC 9110 §5.6.1), such as the options in
 * {@code Connection} or the codings in {@code Transfer-Encoding}: trimmed, empty ones dropped.
 */
public final class CommaList {

    private CommaList() {
    }

    public static List<String> of(String value) {
        List<String> elements = new ArrayList<>(2);
        addTo(value, elements);
        return elements;
    }

    /** The elements of every value of a repeated header, in order. */
    public static List<String> of(HeaderValues values) {
        List<String> elements = new ArrayList<>(2);
        for (int i = 0; i < values.size(); i++) {
            addTo(values.get(i), elements);
        }
        return elements;
    }

    /**
     * The first element of {@code value} as a span ({@link #element}, {@link #is}), or -1 if it has
     * none. With {@link #next} this walks the elements without allocating, for the per-response
     * checks of {@code Connection} and {@code Transfer-Encoding}.
     */
    public static long first(String value) {
        return from(value, 0);
    }

    /** The element after {@code span}, or -1 after the last. */
    public static long next(String value, long span) {
        int comma = value.indexOf(',', end(span));
        return comma < 0 ? -1 : from(value, comma + 1);
    }

    /** Whether the element at {@code span} is {@code token}, ignoring case. */
    public static boolean is(String value, long span, String token) {
        int start = start(span);
        return end(span) - start == token.length() && value.regionMatches(true, start, token, 0, token.length());
    }

    public static String element(String value, long span) {
        return value.substring(start(span), end(span));
    }

    private static long from(String value, int from) {
        int n = value.length();
        int start = from;
        while (start < n) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            int s = start;
            int e = end;
            while (s < e && value.charAt(s) <= ' ') {
                s++;
            }
            while (e > s && value.charAt(e - 1) <= ' ') {
                e--;
            }
            if (e > s) {
                return ((long) s << 32) | e;
            }
            start = end + 1;
        }
        return -1;
    }

    private static int start(long span) {
        return (int) (span >>> 32);
    }

    private static int end(long span) {
        return (int) span;
    }

    private static void addTo(String value, List<String> elements) {
        for (long span = first(value); span >= 0; span = next(value, span)) {
            elements.add(element(value, span));
        }
    }
}
