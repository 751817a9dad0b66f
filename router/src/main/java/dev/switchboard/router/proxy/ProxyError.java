package dev.switchboard.router.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Every response the router generates itself: a status, a short text body and the
 * {@code X-Switchboard-Error} header naming the reason. Never a stack trace, never an internal address.
 */
public enum ProxyError {
    BAD_REQUEST(400, "bad_request", "bad request"),
    BAD_PATH(400, "bad_path", "request path is not allowed"),
    NO_ROUTE(404, "no_route", "no route matches this request"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed", "method not allowed"),
    REQUEST_TIMEOUT(408, "request_timeout", "request body stopped arriving"),
    BODY_TOO_LARGE(413, "body_too_large", "request body is too large"),
    URI_TOO_LONG(414, "uri_too_long", "request URI is too long"),
    HEADERS_TOO_LARGE(431, "headers_too_large", "request headers are too large"),
    UNSUPPORTED_CODING(501, "unsupported_transfer_coding", "request transfer coding is not supported"),
    CONNECT_FAILED(502, "upstream_connect_failure", "backend refused the connection"),
    UPSTREAM_RESET(502, "upstream_reset", "backend closed the connection before responding"),
    UPSTREAM_INVALID(502, "upstream_invalid_response", "backend sent an invalid response"),
    NO_BACKEND(503, "no_healthy_backend", "no backend is available for this route"),
    UPSTREAM_OVERLOADED(503, "upstream_overloaded", "backends are at their connection limit"),
    ROUTE_OVERLOADED(503, "route_overloaded", "route is at its concurrency limit"),
    RETRY_BUDGET_EXHAUSTED(503, "retry_budget_exhausted", "backend failed and the retry budget is exhausted"),
    CONNECT_TIMEOUT(504, "upstream_connect_timeout", "backend did not accept the connection in time"),
    RESPONSE_TIMEOUT(504, "upstream_timeout", "backend did not answer in time");

    public static final HttpString HEADER = new HttpString("X-Switchboard-Error");

    private final int status;
    private final String code;
    private final ByteBuffer body;

    ProxyError(int status, String code, String message) {
        this.status = status;
        this.code = code;
        this.body = ByteBuffer.wrap((message + "\n").getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Ends the exchange with this error; if the response already started, aborts the connection instead. */
    public void send(HttpServerExchange exchange) {
        send(exchange, body.duplicate());
    }

    /**
     * Like {@link #send(HttpServerExchange)} with a fixed, router-authored detail appended to the body
     * (never text taken from the request).
     */
    public void send(HttpServerExchange exchange, String detail) {
        String message = StandardCharsets.US_ASCII.decode(body.duplicate()).toString().stripTrailing();
        send(exchange, ByteBuffer.wrap((message + ": " + detail + "\n").getBytes(StandardCharsets.US_ASCII)));
    }

    private void send(HttpServerExchange exchange, ByteBuffer content) {
        if (exchange.isResponseStarted()) {
            org.xnio.IoUtils.safeClose(exchange.getConnection());
            return;
        }
        exchange.setStatusCode(status);
        var headers = exchange.getResponseHeaders();
        headers.clear();
        headers.put(HEADER, code);
        headers.put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        headers.put(Headers.CONTENT_LENGTH, content.remaining());
        if (status == 503) {
            headers.put(Headers.RETRY_AFTER, "1");
        }
        if (status == 400 || status == 408 || status == 413 || status == 414 || status == 431) {
            // The rest of the request may not be readable; don't try to reuse the connection.
            exchange.setPersistent(false);
        }
        exchange.getResponseSender().send(content);
    }
}
