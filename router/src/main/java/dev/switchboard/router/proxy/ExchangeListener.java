package dev.switchboard.router.proxy;

import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.health.Outcome;
import io.undertow.server.HttpServerExchange;

/**
 * Told once about every request the proxy answers when it completes, and about every failed
 * attempt on a backend: metrics and the access log hang here. Called on the IO thread;
 * implementations must be cheap and must not block.
 */
public interface ExchangeListener {

    ExchangeListener NONE = (exchange, route, backend, info, nanos) -> { };

    /**
     * @param route   the route binding that matched, or null when the router answered before a route
     *                was chosen ({@code no_route}, a path or head it refused)
     * @param backend the backend of the last attempt, or null if none was tried
     * @param info    what happened ({@link RequestInfo})
     * @param nanos   total time from the request's arrival to completion
     */
    void completed(HttpServerExchange exchange, RouteBinding route, Backend backend, RequestInfo info, long nanos);

    /**
     * An attempt on {@code backend} failed ({@link Outcome#isFailure()}), whether or not a retry
     * then answered the client. Not called for attempts that succeed.
     */
    default void attemptFailed(Backend backend, Outcome outcome) {
    }

    /** Tells {@code first}, then {@code second}. */
    static ExchangeListener both(ExchangeListener first, ExchangeListener second) {
        return new ExchangeListener() {
            @Override
            public void completed(HttpServerExchange exchange, RouteBinding route, Backend backend, RequestInfo info, long nanos) {
                first.completed(exchange, route, backend, info, nanos);
                second.completed(exchange, route, backend, info, nanos);
            }

            @Override
            public void attemptFailed(Backend backend, Outcome outcome) {
                first.attemptFailed(backend, outcome);
                second.attemptFailed(backend, outcome);
            }
        };
    }
}
