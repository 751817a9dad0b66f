package dev.switchboard.router.proxy;

import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.backend.ServiceCluster;
import dev.switchboard.router.health.Outcome;
import io.undertow.server.HttpServerExchange;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Everything decided about one request before its first attempt (route, cluster, target path,
 * timeouts, retry eligibility, hash key), plus what its attempts found out (outcome, retries, error)
 * for metrics and the access log. One per request; lives on its IO thread.
 */
final class RequestPlan implements RequestInfo {

    final RouteBinding binding;
    final ServiceCluster cluster;
    final ForwardedHeaders forwarded;
    final long startNanos;
    String forwardTarget;
    boolean peerTrusted;
    boolean preserveHost;
    boolean upgrade;
    /** The options of the client's {@code Connection} header (headers it names are not forwarded). */
    List<String> connectionOptions = List.of();
    boolean idempotent;
    boolean bufferBody;
    ByteBuffer bufferedBody;
    long connectTimeoutMillis;
    /** One try's wait for a response head: per_try_timeout, at most the response timeout. */
    long tryTimeoutMillis;
    /** The wait for a response over all tries together, from the first time the request was sent (as Envoy's route timeout). */
    long responseTimeoutMillis;
    /** When the response timeout runs out, once the request was first sent. */
    long deadlineNanos;
    boolean deadlineSet;
    long idleTimeoutMillis;
    /** listen.max_request_body, enforced while a body of undeclared length streams; 0 = none. */
    long maxRequestBody;
    /** The client's Content-Length, read once (-1 when none). */
    long requestLength = -1;
    int maxAttempts;
    long hashKey;
    boolean hasHashKey;
    StickyCookie sticky;

    Outcome outcome = Outcome.SUCCESS;
    ProxyError error;
    int retries;
    private final ExchangeListener listener;

    RequestPlan(RouteBinding binding, ServiceCluster cluster, ForwardedHeaders forwarded, ExchangeListener listener, long startNanos) {
        this.binding = binding;
        this.cluster = cluster;
        this.forwarded = forwarded;
        this.listener = listener;
        this.startNanos = startNanos;
    }

    @Override
    public Outcome outcome() {
        return outcome;
    }

    @Override
    public ProxyError error() {
        return error;
    }

    @Override
    public int retries() {
        return retries;
    }

    @Override
    public long requestLength() {
        return requestLength;
    }

    /** Called for every attempt that ended as a failure of {@code backend}. */
    void attemptFailed(Backend backend, Outcome failure) {
        listener.attemptFailed(backend, failure);
    }

    /** Called once when the client exchange completes, whatever happened; {@code nowNanos}: the clock then. */
    void complete(HttpServerExchange exchange, Backend lastBackend, long nowNanos) {
        binding.release();
        listener.completed(exchange, binding, lastBackend, this, nowNanos - startNanos);
    }

    @Override
    public long startNanos() {
        return startNanos;
    }
}
