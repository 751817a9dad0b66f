package dev.switchboard.discovery;

import java.time.Instant;

/**
 * What an operator needs to know about a discovery source at 3 a.m.
 *
 * @param source        {@code consul} or {@code static}
 * @param ready         the first full sync has completed
 * @param lastSuccess   when the last successful read completed, or null before the first
 * @param lastError     the last error message, or null if none since the last success
 * @param lastErrorAt   when the last error happened, or null
 * @param errorCount    errors since start
 * @param services      services in the current snapshot
 * @param instances     instances in the current snapshot
 * @param stale         the current snapshot was restored from a file and no sync has succeeded since
 * @param requests      requests made to the source since start (Consul HTTP requests)
 * @param watches       watches currently running (Consul: the service list plus one per service)
 * @param skipped       instances skipped since start because the source returned bad data
 */
public record DiscoveryStatus(
        String source,
        boolean ready,
        Instant lastSuccess,
        String lastError,
        Instant lastErrorAt,
        long errorCount,
        int services,
        int instances,
        boolean stale,
        long requests,
        int watches,
        long skipped) {

    /** A status without the counters a simple source does not have (not stale, zero requests). */
    public DiscoveryStatus(String source, boolean ready, Instant lastSuccess, String lastError,
            Instant lastErrorAt, long errorCount, int services, int instances) {
        this(source, ready, lastSuccess, lastError, lastErrorAt, errorCount, services, instances, false, 0, 0, 0);
    }
}
