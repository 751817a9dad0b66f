package dev.switchboard.router.admin;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.RequestBufferingHandler;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Supplier;
import org.xnio.IoUtils;

/**
 * In front of the admin servlets, refusing with the API's JSON what none of them should get: a
 * declared body over {@link ApiServlet#MAX_BODY} (413 at once, before a byte of it is read; Undertow
 * then discards the body or, past {@link AdminServer#MAX_DISCARD}, closes the connection), a GET or
 * HEAD with a body (400: the servlets would parse a form body as parameters), and outside
 * {@code /api/v1} any method but GET and HEAD (405) — including TRACE, which a plain servlet answers
 * by echoing the request's headers, the admin token with them.
 *
 * <p>What passes is read whole on the IO thread before a worker thread sees it: a client that
 * declares a body and sends it slowly (or never) holds a connection, not one of the few workers that
 * also answer {@code /live} and {@code /ready}.
 */
final class AdminGate implements HttpHandler {

    private final HttpHandler next;
    private final Supplier<String> token;

    /**
     * @param bufferSize the listener's buffer size, to buffer up to {@link ApiServlet#MAX_BODY}
     * @param token      the admin token now (read per request: a reload may change it)
     */
    AdminGate(HttpHandler next, int bufferSize, Supplier<String> token) {
        this.next = new RequestBufferingHandler(next, ApiServlet.MAX_BODY / bufferSize + 2);
        this.token = token;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long length = exchange.getRequestContentLength();
        HttpString method = exchange.getRequestMethod();
        String path = exchange.getRequestPath();
        boolean read = method.equals(Methods.GET) || method.equals(Methods.HEAD);
        boolean body = length > 0 || exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
        boolean api = path.equals(ApiServlet.PREFIX) || path.startsWith(ApiServlet.PREFIX + "/");
        ApiException unauthorized = api && !read && body
                ? ApiServlet.refusal(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION), token.get()) : null;
        if (length > ApiServlet.MAX_BODY) {
            refuse(exchange, ApiException.tooLarge(length + " bytes", ApiServlet.MAX_BODY));
        } else if (unauthorized != null) {
            // Before a byte of the body is read: a client without the token cannot make us buffer it.
            if (unauthorized.status() == 401) {
                exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"switchboard-admin\"");
            }
            refuse(exchange, unauthorized);
        } else if (read && body) {
            exchange.setPersistent(false); // the body is not worth reading to keep the connection
            refuse(exchange, new ApiException(400, null, "method " + Json.quoteShort(method)
                    + " with a request body (expected: none; changes go through POST " + ApiServlet.PREFIX + ")"));
        } else if (!api && !read) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            refuse(exchange, new ApiException(405, null, "method " + Json.quoteShort(method) + " not allowed on "
                    + Json.quoteShort(path) + " (expected: GET or HEAD; changes go through " + ApiServlet.PREFIX + ")"));
        } else if (HttpContinue.requiresContinueResponse(exchange)) {
            // The buffering handler would leave an Expect: 100-continue body to a worker thread's
            // blocking read: answer the 100 here, then buffer as for any other request.
            HttpContinue.sendContinueResponse(exchange, new IoCallback() {
                @Override
                public void onComplete(HttpServerExchange ex, Sender sender) {
                    try {
                        next.handleRequest(ex);
                    } catch (Exception e) {
                        IoUtils.safeClose(ex.getConnection());
                    }
                }

                @Override
                public void onException(HttpServerExchange ex, Sender sender, java.io.IOException e) {
                    IoUtils.safeClose(ex.getConnection());
                }
            });
        } else {
            next.handleRequest(exchange);
        }
    }

    private static void refuse(HttpServerExchange exchange, ApiException e) throws Exception {
        exchange.setStatusCode(e.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, ApiServlet.JSON_TYPE);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
        Map<String, Object> body = e.body();
        exchange.getResponseSender().send(ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(body)));
    }
}
