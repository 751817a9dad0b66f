package dev.switchboard.discovery.consul;

/**
 * One blocking read of a Consul resource: ask for the state after {@code index} and get the value
 * with the index Consul returned. The implementation chooses wait time and consistency; the
 * {@link BlockingQueryLoop} owns the index rules, pacing and backoff.
 *
 * @param <T> the decoded value
 */
@FunctionalInterface
public interface BlockingQuery<T> {

    /**
     * Performs one request. Blocks until the resource changes after {@code index}, or the wait
     * time passes. Index 0 asks for the current state without blocking.
     *
     * @throws Exception any failure: transport, HTTP status, decoding; the loop backs off and retries
     */
    Result<T> fetch(long index) throws Exception;

    /**
     * A decoded value and the {@code X-Consul-Index} that came with it (0 if absent).
     *
     * @param <T> the decoded value
     */
    record Result<T>(T value, long index) {
    }
}
