package dev.switchboard.router.proxy;

import dev.switchboard.router.backend.Backend;
import io.undertow.server.HttpServerExchange;

/**
 * Told once about every proxied exchange when it completes: metrics and the access log hang here.
 * Called on the IO thread; implementations must be cheap and must not block.
 */
public interface ExchangeListener {

    ExchangeListener NONE = (exchange, route, backend, info, nanos) -> { };

    /**
     * @param route   the route binding that matched
     * @param backend the backend of the last attempt, or null if none was tried
     * @param info    what happened ({@link RequestInfo})
     * @param nanos   total time from the request's arrival to completion
     */
    void completed(HttpServerExchange exchange, RouteBinding route, Backend backend, RequestInfo info, long nanos);
}
