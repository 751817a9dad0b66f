package dev.switchboard.router.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.health.Outcome;

/**
 * One backend's metrics: traffic recorded per request, and gauges read from the live
 * {@link Backend} (in flight, circuit, ejections, latency EWMA, effective weight, selections,
 * connections), and its failed attempts by reason (counted even when a retry answered the client).
 * Removed when the backend leaves the registry.
 */
final class BackendMetrics extends TrafficMetrics {

    /** By {@link Outcome} ordinal; null for outcomes that are not failures. */
    private final Counter[] attemptFailures = new Counter[Outcome.values().length];

    /** A holder registered nowhere: recording into it is harmless (used for a backend already gone). */
    static BackendMetrics detached(Backend b) {
        return new BackendMetrics(new MetricRegistry(), new MetricNames(), 0, b, b.service(), b.id().toString());
    }

    BackendMetrics(MetricRegistry registry, MetricNames names, int ioThreads, Backend b, String service, String id) {
        super(registry, names, ioThreads, "switchboard.backend", "service", service, "backend", id);
        gauge("switchboard.backend.in_flight", b::inFlight);
        gauge("switchboard.backend.selections", b::selections);
        gauge("switchboard.backend.healthy", () -> b.health().healthy(System.nanoTime()) ? 1 : 0);
        gauge("switchboard.backend.circuit_state", () -> circuitCode(b));
        gauge("switchboard.backend.ejections", () -> b.health().outlier().ejections());
        gauge("switchboard.backend.latency_ewma_seconds", () -> b.latencyEwmaNanos(System.nanoTime()) / 1e9);
        gauge("switchboard.backend.effective_weight", () -> b.effectiveWeight(System.nanoTime()));
        gauge("switchboard.backend.draining", () -> b.isDraining() ? 1 : 0);
        gauge("switchboard.backend.connections_open", () -> b.pool().openConnections());
        gauge("switchboard.backend.connections_idle", () -> b.pool().idleConnections());
        gauge("switchboard.backend.queued", () -> b.pool().queued());
        for (Outcome o : Outcome.values()) {
            if (o.isFailure()) {
                attemptFailures[o.ordinal()] = counter("switchboard.backend.attempt_failures", "reason",
                        o.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    /** An attempt on this backend failed, whether or not a retry then answered the client. */
    void attemptFailed(Outcome failure) {
        attemptFailures[failure.ordinal()].inc();
    }

    /** 0 closed, 1 half open, 2 open, -1 breaker disabled. */
    static int circuitCode(Backend b) {
        return switch (b.health().snapshot(System.nanoTime()).circuit()) {
            case "closed" -> 0;
            case "half_open" -> 1;
            case "open" -> 2;
            default -> -1;
        };
    }
}
