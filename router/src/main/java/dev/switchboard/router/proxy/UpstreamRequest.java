package dev.switchboard.router.proxy;

import dev.switchboard.router.backend.Backend;
import io.undertow.client.ClientRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;

/** Builds the request sent to a backend from the client's request and the plan. */
final class UpstreamRequest {

    private UpstreamRequest() {
    }

    static ClientRequest build(HttpServerExchange exchange, RequestPlan plan, Backend backend) {
        ClientRequest request = new ClientRequest();
        request.setMethod(exchange.getRequestMethod());
        request.setPath(plan.forwardTarget);
        HeaderMap out = request.getRequestHeaders();
        boolean trusted = plan.peerTrusted;
        HopByHop.copy(exchange.getRequestHeaders(), out, plan.upgrade,
                trusted ? EXPECT_ONLY : UNTRUSTED);
        plan.forwarded.apply(exchange, trusted, out);
        if (!plan.preserveHost) {
            out.put(Headers.HOST, backend.hostPort());
        }
        if (plan.bufferedBody != null) {
            out.remove(Headers.TRANSFER_ENCODING);
            out.put(Headers.CONTENT_LENGTH, plan.bufferedBody.remaining());
        } else if (!plan.upgrade && !out.contains(Headers.CONTENT_LENGTH) && !exchange.isRequestComplete()) {
            out.put(Headers.TRANSFER_ENCODING, Headers.CHUNKED.toString());
        }
        if (!plan.upgrade) {
            // Client-side Connection: close must not close the pooled backend connection.
            out.remove(Headers.CONNECTION);
        }
        return request;
    }

    /** The router answers {@code 100 Continue} itself, so {@code Expect} is not forwarded. */
    private static final HopByHop.Skip EXPECT_ONLY = name -> name.equals(Headers.EXPECT);

    /** From untrusted peers, incoming X-Forwarded-* are dropped and written afresh. */
    private static final HopByHop.Skip UNTRUSTED =
            name -> name.equals(Headers.EXPECT) || ForwardedHeaders.isForwardedHeader(name);
}
