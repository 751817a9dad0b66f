package dev.switchboard.discovery.consul;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decides which watch failures reach the log at WARN when Consul fails for everyone at once: the
 * first watch failing a given way says so, the others failing the same way go to DEBUG, and one
 * line says when the last of them answers again. With a few hundred watched services a Consul
 * restart is then a handful of lines, not four per service. Shared by the watches of one
 * discovery; thread-safe.
 */
final class OutageLog {

    private final Map<String, String> failing = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    private int quiet;

    /** The way a request failed, without the request: HTTP status, or the transport error's type. */
    static String kind(Exception e) {
        if (e instanceof ConsulRequestException c) {
            if (c.status() != 0) {
                return "HTTP " + c.status();
            }
            if (c.getCause() != null) {
                return c.getCause().getClass().getSimpleName();
            }
        }
        return e.getClass().getSimpleName();
    }

    /** {@code watch} fails with {@code kind}: true if it is the first watch failing that way now (log it). */
    synchronized boolean failing(String watch, String kind) {
        failing.put(watch, kind);
        if (reported.add(kind)) {
            return true;
        }
        quiet++;
        return false;
    }

    /**
     * {@code watch} answers again: when it was the last one failing and others were logged at DEBUG,
     * the line to log (at INFO) about them; else null.
     */
    synchronized String recovered(String watch) {
        if (failing.remove(watch) == null || !failing.isEmpty()) {
            return null;
        }
        String line = quiet > 0 ? "every watch answers again (" + quiet + " failure(s) of other watches the same way were logged at DEBUG)" : null;
        reported.clear();
        quiet = 0;
        return line;
    }
}
