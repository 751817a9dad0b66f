package dev.switchboard.discovery.consul;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Success and error bookkeeping shared by all watches of one discovery. A watch's error stays
 * visible until that same watch succeeds again, so a healthy service list does not hide a failing
 * service read. Thread-safe.
 */
final class SyncStatus {

    private record Failure(String message, Instant at) {
    }

    private final Clock clock;
    private final Map<String, Failure> failing = new ConcurrentHashMap<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile Instant lastSuccess;
    private volatile Instant lastErrorAt;

    private final OutageLog outageLog = new OutageLog();

    SyncStatus(Clock clock) {
        this.clock = clock;
    }

    /** Which failures of this discovery's watches are logged at WARN (see {@link OutageLog}). */
    OutageLog outageLog() {
        return outageLog;
    }

    void success(String watch) {
        lastSuccess = clock.instant();
        failing.remove(watch);
    }

    /** A read that worked but whose watch may still count as failing (results hidden by ACLs). */
    void touch() {
        lastSuccess = clock.instant();
    }

    void error(String watch, String message) {
        Instant now = clock.instant();
        errors.incrementAndGet();
        lastErrorAt = now;
        failing.put(watch, new Failure(message, now));
    }

    /** A watch that ended (service gone): its error no longer matters. */
    void forget(String watch) {
        failing.remove(watch);
    }

    void skipped(int n) {
        skipped.addAndGet(n);
    }

    Instant lastSuccess() {
        return lastSuccess;
    }

    Instant lastErrorAt() {
        return lastErrorAt;
    }

    long errorCount() {
        return errors.get();
    }

    long skippedCount() {
        return skipped.get();
    }

    /** The most recent error of a watch that is still failing, prefixed with the watch; null if none. */
    String lastError() {
        Map.Entry<String, Failure> latest = null;
        for (Map.Entry<String, Failure> e : failing.entrySet()) {
            if (latest == null || e.getValue().at().isAfter(latest.getValue().at())) {
                latest = e;
            }
        }
        if (latest == null) {
            return null;
        }
        int others = failing.size() - 1;
        return latest.getValue().message() + (others > 0 ? " (and " + others + " more failing)" : "");
    }
}
