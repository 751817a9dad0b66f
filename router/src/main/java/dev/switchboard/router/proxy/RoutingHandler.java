package dev.switchboard.router.proxy;

import dev.switchboard.router.backend.ServiceCluster;
import dev.switchboard.router.balancer.HashKeys;
import dev.switchboard.router.config.ListenConfig;
import dev.switchboard.router.table.RequestPath;
import dev.switchboard.router.table.Route;
import dev.switchboard.router.upstream.CommaList;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The request path's entry: checks request limits, normalizes the path, matches a route, and hands
 * the request to a {@link ProxyExchange}. Runs on the IO thread and never blocks.
 */
public final class RoutingHandler implements HttpHandler {

    private static final Set<HttpString> IDEMPOTENT = Set.of(Methods.GET, Methods.HEAD, Methods.OPTIONS,
            Methods.PUT, Methods.DELETE, Methods.TRACE);

    private final Supplier<RoutingState> state;
    private final ForwardedHeaders forwarded;
    private final ExchangeListener listener;
    private final int maxUrlLength;
    private final long maxHeaderSize;
    private final long maxRequestBody;

    public RoutingHandler(Supplier<RoutingState> state, ListenConfig listen, TrustedProxies trusted, ExchangeListener listener) {
        this.state = state;
        this.forwarded = new ForwardedHeaders(trusted);
        this.listener = listener;
        this.maxUrlLength = listen.maxUrlLength();
        this.maxHeaderSize = listen.maxHeaderSize();
        this.maxRequestBody = listen.maxRequestBody();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        long start = System.nanoTime();
        long length = exchange.getRequestContentLength();
        ProxyError rejection = checkLimits(exchange, length);
        if (rejection != null) {
            reject(exchange, null, rejection, null, start, length);
            return;
        }
        RequestPath path = RequestPath.parse(exchange.getRequestURI());
        if (!path.isValid()) {
            reject(exchange, null, ProxyError.BAD_PATH, path.reason(), start, length);
            return;
        }
        HeaderMap headers = exchange.getRequestHeaders();
        RoutingState s = state.get();
        // The Host header as sent: the table finds the name before any port itself, and keeps an IPv6
        // literal's brackets (Undertow's getHostName() strips them, and copies the name per request).
        String host = headers.getFirst(Headers.HOST);
        Route route = s.table().match(host != null && !host.isEmpty() ? host : exchange.getHostName(),
                exchange.getRequestMethod().toString(), path.path(), headers::getFirst);
        RouteBinding binding = route == null ? null : s.binding(route);
        if (binding == null) {
            reject(exchange, null, ProxyError.NO_ROUTE, null, start, length);
            return;
        }
        RequestPath target = route.rewrite(path.path());
        if (!target.isValid()) {
            reject(exchange, binding, ProxyError.BAD_PATH, "rewritten " + target.reason(), start, length);
            return;
        }
        if (!binding.tryAcquire()) {
            reject(exchange, binding, ProxyError.ROUTE_OVERLOADED, null, start, length);
            return;
        }
        int t = binding.pickTarget(ThreadLocalRandom.current().nextLong());
        ServiceCluster cluster = binding.cluster(t);
        if (cluster == null || cluster.isEmpty()) {
            binding.release();
            reject(exchange, binding, ProxyError.NO_BACKEND, null, start, length);
            return;
        }
        RequestPlan plan = new RequestPlan(binding, cluster, forwarded, listener, start);
        String query = exchange.getQueryString();
        plan.forwardTarget = query == null || query.isEmpty() ? target.path() : target.path() + '?' + query;
        plan.peerTrusted = forwarded.trustsPeer(exchange);
        plan.preserveHost = binding.preserveHost();
        HeaderValues connection = headers.get(Headers.CONNECTION);
        if (connection != null) {
            plan.connectionOptions = CommaList.of(connection);
        }
        // An upgrade only without a body (RFC 9110 §7.8 lets a server ignore the offer; a request with
        // a body, like curl's h2c offer on a POST, is forwarded as a plain request, Upgrade dropped).
        plan.upgrade = headers.contains(Headers.UPGRADE) && HopByHop.listedIn(plan.connectionOptions, Headers.UPGRADE)
                && exchange.isRequestComplete();
        var retry = cluster.config().retry();
        plan.idempotent = IDEMPOTENT.contains(exchange.getRequestMethod())
                || headers.contains(cluster.idempotentHeader());
        plan.requestLength = length;
        plan.bufferBody = length > 0 && length <= retry.maxBufferedBody() && !plan.upgrade;
        plan.connectTimeoutMillis = binding.connectTimeoutMillis(t);
        plan.tryTimeoutMillis = binding.tryTimeoutMillis(t);
        plan.responseTimeoutMillis = binding.responseTimeoutMillis(t);
        plan.idleTimeoutMillis = binding.idleTimeoutMillis(t);
        plan.maxRequestBody = maxRequestBody;
        plan.maxAttempts = retry.maxAttempts();
        hashKey(exchange, cluster, plan, path.path());
        if (cluster.isSticky()) {
            plan.sticky = new StickyCookie(exchange, cluster);
        }
        ProxyExchange proxy = new ProxyExchange(exchange, plan);
        exchange.dispatch(SameThreadExecutor.INSTANCE, proxy::start);
    }

    /**
     * Answers with {@code error} before any backend is tried; the listener hears of the request once
     * the response is done, as of a proxied one ({@code binding} null when no route was chosen).
     */
    private void reject(HttpServerExchange exchange, RouteBinding binding, ProxyError error, String detail, long start,
                        long length) {
        Rejection info = new Rejection(error, length, start);
        exchange.addExchangeCompleteListener((ex, next) -> {
            try {
                listener.completed(ex, binding, null, info, System.nanoTime() - start);
            } finally {
                next.proceed();
            }
        });
        if (detail == null) {
            error.send(exchange);
        } else {
            error.send(exchange, detail);
        }
    }

    private ProxyError checkLimits(HttpServerExchange exchange, long length) {
        if (exchange.getRequestURI().length() + exchange.getQueryString().length() > maxUrlLength) {
            return ProxyError.URI_TOO_LONG;
        }
        HttpString method = exchange.getRequestMethod();
        if (method.equals(Methods.CONNECT)) {
            return ProxyError.METHOD_NOT_ALLOWED;
        }
        HeaderMap headers = exchange.getRequestHeaders();
        long size = 0;
        for (long c = headers.fastIterateNonEmpty(); c != -1L; c = headers.fiNextNonEmpty(c)) {
            HeaderValues v = headers.fiCurrent(c);
            int nameLength = v.getHeaderName().length() + 4;
            for (int i = 0; i < v.size(); i++) {
                size += nameLength + v.get(i).length();
            }
        }
        if (size > maxHeaderSize) {
            return ProxyError.HEADERS_TOO_LARGE;
        }
        HeaderValues te = headers.get(Headers.TRANSFER_ENCODING);
        if (te != null) {
            ProxyError coding = codingProblem(te);
            if (coding != null) {
                return coding;
            }
        }
        if (maxRequestBody > 0 && length > maxRequestBody) {
            return ProxyError.BODY_TOO_LARGE;
        }
        return null;
    }

    /**
     * Null when the request's transfer codings are {@code chunked} alone. RFC 9112 §6.3: a final coding
     * other than chunked leaves no determinable length (400); §6.1: a coding before chunked that the
     * router does not understand, such as {@code gzip, chunked}, is 501 (forwarding the body as plainly
     * chunked would hand the backend coded bytes it was not told about).
     */
    private static ProxyError codingProblem(HeaderValues te) {
        String last = te.get(te.size() - 1);
        if (!last.substring(last.lastIndexOf(',') + 1).trim().equalsIgnoreCase("chunked")) {
            return ProxyError.BAD_REQUEST;
        }
        int codings = 0;
        for (int i = 0; i < te.size(); i++) {
            String value = te.get(i);
            for (long c = CommaList.first(value); c >= 0; c = CommaList.next(value, c)) {
                codings++;
            }
        }
        return codings == 1 ? null : ProxyError.UNSUPPORTED_CODING;
    }

    private void hashKey(HttpServerExchange exchange, ServiceCluster cluster, RequestPlan plan, String path) {
        String key = switch (cluster.hashSource()) {
            case NONE -> null;
            case CLIENT_IP -> forwarded.clientAddress(exchange, plan.peerTrusted);
            case HEADER -> exchange.getRequestHeaders().getFirst(cluster.hashName());
            case COOKIE -> {
                Cookie c = exchange.getRequestCookie(cluster.hashName());
                yield c == null ? null : c.getValue();
            }
            case PATH -> path;
        };
        if (key != null) {
            plan.hasHashKey = true;
            plan.hashKey = HashKeys.hash(key);
        }
    }
}
