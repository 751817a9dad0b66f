package dev.switchboard.router.health;

import dev.switchboard.discovery.InstanceId;

/**
 * Listener for health transitions. Each transition is reported exactly once, by the thread that made
 * it, right after it took effect. Calls may come from Undertow IO threads: implementations must be
 * quick, must not block and must not throw. All methods default to doing nothing.
 *
 * <p>{@link LoggingHealthEvents} writes one log line per event.
 */
public interface HealthEvents {

    /** Ignores every event. */
    HealthEvents NONE = new HealthEvents() {
    };

    /** A backend's circuit breaker changed state. */
    default void circuitChanged(String service, InstanceId backend, CircuitBreaker.State from,
            CircuitBreaker.State to, String reason) {
    }

    /**
     * Outlier detection ejected a backend.
     *
     * @param durationNanos how long the ejection lasts
     * @param times         how many times the backend has now been ejected, after decay (the multiplier)
     */
    default void ejected(String service, InstanceId backend, long durationNanos, int times, String reason) {
    }

    /** Outlier detection wanted to eject a backend but {@code max_ejection_percent} did not allow it. */
    default void ejectionSkipped(String service, InstanceId backend, String reason) {
    }

    /** An ejected backend's time is up and it takes traffic again. */
    default void returned(String service, InstanceId backend) {
    }

    /**
     * A health signal other than outlier detection (active checks, the discovery source) changed.
     *
     * @param reason why it failed; for a change to healthy, a short description of why it recovered
     */
    default void signalChanged(String service, InstanceId backend, BackendHealth.Signal signal,
            boolean healthy, String reason) {
    }

    /**
     * The service entered or left panic mode: fewer than {@code panic_threshold} percent of its
     * backends are healthy, so it routes to all of them.
     */
    default void panicChanged(String service, boolean panic, int healthy, int total) {
    }
}
