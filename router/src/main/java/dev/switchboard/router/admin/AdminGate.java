package dev.switchboard.router.admin;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * In front of the admin servlets, refusing with the API's JSON what none of them should get: a
 * declared body over {@link ApiServlet#MAX_BODY} (413 at once, before a byte of it is read; Undertow
 * then discards the body or, past {@link AdminServer#MAX_DISCARD}, closes the connection), and
 * outside {@code /api/v1} any method but GET and HEAD (405) — including TRACE, which a plain
 * servlet answers by echoing the request's headers, the admin token with them.
 */
final class AdminGate implements HttpHandler {

    private final HttpHandler next;

    AdminGate(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long length = exchange.getRequestContentLength();
        HttpString method = exchange.getRequestMethod();
        String path = exchange.getRequestPath();
        if (length > ApiServlet.MAX_BODY) {
            refuse(exchange, ApiException.tooLarge(length + " bytes", ApiServlet.MAX_BODY));
        } else if (!(path.equals(ApiServlet.PREFIX) || path.startsWith(ApiServlet.PREFIX + "/"))
                && !method.equals(Methods.GET) && !method.equals(Methods.HEAD)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            refuse(exchange, new ApiException(405, null, "method " + Json.quoteShort(method) + " not allowed on "
                    + Json.quoteShort(path) + " (expected: GET or HEAD; changes go through " + ApiServlet.PREFIX + ")"));
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
