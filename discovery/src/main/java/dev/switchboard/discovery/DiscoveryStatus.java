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
 */
public record DiscoveryStatus(
        String source,
        boolean ready,
        Instant lastSuccess,
        String lastError,
        Instant lastErrorAt,
        long errorCount,
        int services,
        int instances) {
}
