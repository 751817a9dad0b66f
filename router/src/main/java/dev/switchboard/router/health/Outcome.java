package dev.switchboard.router.health;

/**
 * What one upstream attempt ended as. The proxy classifies every attempt exactly once and hands the
 * outcome to {@link BackendHealth#record}; the circuit breaker and the outlier detector count it.
 */
public enum Outcome {
    /** A response head arrived and its status is not a configured failure status. */
    SUCCESS,
    /** The TCP connection could not be established (refused, unreachable, connect timeout). */
    CONNECT_FAILURE,
    /** The connection was closed or reset before any response byte arrived. */
    RESET,
    /** No response head within the per-try or response timeout. */
    TIMEOUT,
    /** A response with a configured failure status, such as 502, 503 or 504. */
    GATEWAY_STATUS,
    /**
     * The attempt failed for a reason that is not the backend's fault (connection pool full, queue
     * timeout, client gone). Never counted: it neither fails nor succeeds a backend.
     */
    LOCAL_REJECT;

    /** Whether this outcome counts against the backend. */
    public boolean isFailure() {
        return this != SUCCESS && this != LOCAL_REJECT;
    }

    /** Whether this outcome is counted at all (everything except {@link #LOCAL_REJECT}). */
    public boolean counts() {
        return this != LOCAL_REJECT;
    }
}
