package dev.switchboard.router.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Collects validation problems, each {@code field.path: value (expected: …)}, with the common checks. */
final class Problems {

    private final List<String> list = new ArrayList<>();

    void add(String problem) {
        list.add(problem);
    }

    void addAll(List<String> problems) {
        list.addAll(problems);
    }

    List<String> list() {
        return List.copyOf(list);
    }

    void port(String at, int port) {
        range(at, port, 0, 65535);
    }

    void notBlank(String at, String value) {
        if (value == null || value.isBlank()) {
            list.add(at + ": " + (value == null ? "missing" : "\"" + value + "\"") + " (expected: a non-empty value)");
        }
    }

    void range(String at, long value, long min, long max) {
        if (value < min || value > max) {
            list.add(at + ": " + value + " (expected: " + (max == Long.MAX_VALUE ? ">= " + min : min + ".." + max) + ")");
        }
    }

    void fraction(String at, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            list.add(at + ": " + value + " (expected: 0.0..1.0)");
        }
    }

    void positive(String at, Duration d) {
        if (d.isZero() || d.isNegative()) {
            list.add(at + ": " + format(d) + " (expected: > 0)");
        }
    }

    void nonNegative(String at, Duration d) {
        if (d.isNegative()) {
            list.add(at + ": " + format(d) + " (expected: >= 0)");
        }
    }

    /** {@code low} must not exceed {@code high}; reported at {@code highAt}. */
    void ordered(String lowAt, Duration low, String highAt, Duration high) {
        if (low.compareTo(high) > 0) {
            list.add(highAt + ": " + format(high) + " (expected: >= " + lowAt + ", " + format(low) + ")");
        }
    }

    void timeouts(String at, TimeoutsConfig t) {
        if (t.connect() != null) {
            positive(at + ".connect", t.connect());
        }
        if (t.response() != null) {
            positive(at + ".response", t.response());
        }
        if (t.idle() != null) {
            positive(at + ".idle", t.idle());
        }
    }

    void statuses(String at, List<Integer> statuses) {
        for (int i = 0; i < statuses.size(); i++) {
            range(at + "[" + i + "]", statuses.get(i), 100, 599);
        }
    }

    /** A duration as the config would write it: {@code 0}, {@code 250ms}, {@code 1.5s}. */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        return java.math.BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + "ms";
    }
}
