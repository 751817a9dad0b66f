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

    private static void addTo(String value, List<String> elements) {
        int start = 0;
        while (start < value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            String element = value.substring(start, end).trim();
            if (!element.isEmpty()) {
                elements.add(element);
            }
            start = end + 1;
        }
    }
}
