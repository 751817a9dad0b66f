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

    /**
     * The share of {@link #weight()} in effect at {@code nowNanos}, in (0, 1]: 1 outside slow start.
     * Weighted selectors use this rather than {@link #effectiveWeight} because an {@code int} weight
     * of 1 cannot ramp (it is already the minimum). The default derives it from
     * {@link #effectiveWeight}; a backend with slow start should return
     * {@link SlowStart#factor(long, long, long)} so that weight-1 backends ramp too.
     */
    default double slowStartFactor(long nowNanos) {
        int w = weight();
        return w <= 0 ? 1.0 : Math.min(1.0, (double) effectiveWeight(nowNanos) / w);
    }

    /** Requests currently in flight to this backend. */
    int inFlight();

    /**
     * Peak-EWMA latency estimate in nanoseconds at {@code nowNanos} (decayed toward zero while idle),
     * or 0 when nothing has been measured yet.
     */
    double latencyEwmaNanos(long nowNanos);
}
