package dev.switchboard.router.balancer;

import dev.switchboard.discovery.InstanceId;

/**
 * What a {@link Selector} may know about a backend. Implemented by the live backend object, which
 * keeps the same identity across membership changes so that counters survive churn.
 * All methods are cheap and safe to call from any IO thread.
 */
public interface Endpoint {

    /** Stable identity (node + service ID). */
    InstanceId id();

    /** Configured weight, &ge; 1. Static for the lifetime of one selector. */
    int weight();

    /**
     * Weight after slow start at {@code nowNanos}: ramps from a small fraction of {@link #weight()}
     * up to it over the slow-start window, then equals it. Always &ge; 1.
     */
    int effectiveWeight(long nowNanos);

    /** Requests currently in flight to this backend. */
    int inFlight();

    /**
     * Peak-EWMA latency estimate in nanoseconds at {@code nowNanos} (decayed toward zero while idle),
     * or 0 when nothing has been measured yet.
     */
    double latencyEwmaNanos(long nowNanos);
}
