package dev.switchboard.router.proxy;

import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.upstream.RequestHead;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;

/**
 * Writes the request head sent to a backend straight from the client's request and the plan:
 * end-to-end headers copied, hop-by-hop ones dropped (RFC 9110 §7.6.1), {@code X-Forwarded-*}
 * written afresh or extended for trusted peers, {@code Host} kept or the backend's, and the body's
 * framing decided here.
 */
final class UpstreamRequest {

    private UpstreamRequest() {
    }

    /** The head's bytes, in this IO thread's reusable buffer: send them before building another. */
    static ByteBuffer write(HttpServerExchange exchange, RequestPlan plan, Backend backend) {
        RequestHead head = RequestHead.forThisThread().requestLine(exchange.getRequestMethod(), plan.forwardTarget);
        HeaderMap in = exchange.getRequestHeaders();
        boolean buffered = plan.bufferedBody != null;
        for (long c = in.fastIterateNonEmpty(); c != -1L; c = in.fiNextNonEmpty(c)) {
            HeaderValues values = in.fiCurrent(c);
            HttpString name = values.getHeaderName();
            if (skipped(name, plan, buffered) || HopByHop.listedIn(plan.connectionOptions, name)) {
                continue;
            }
            head.header(name, values);
        }
        if (plan.upgrade) {
            head.header(Headers.CONNECTION, "upgrade");
            String protocol = in.getFirst(Headers.UPGRADE);
            if (protocol != null) {
                head.header(Headers.UPGRADE, protocol);
            }
        }
        plan.forwarded.write(exchange, plan.peerTrusted, head);
        // HTTP/1.1 requires a Host: an HTTP/1.0 client may have sent none, and then the backend's goes.
        if (!plan.preserveHost || !in.contains(Headers.HOST)) {
            head.header(Headers.HOST, backend.hostPort());
        }
        if (buffered) {
            head.header(Headers.CONTENT_LENGTH, plan.bufferedBody.remaining());
        } else if (streamsChunked(exchange, plan)) {
            head.header(Headers.TRANSFER_ENCODING, "chunked");
        }
        return head.end();
    }

    /** Whether the body is streamed with chunked framing (a body of unknown length). */
    static boolean streamsChunked(HttpServerExchange exchange, RequestPlan plan) {
        return !plan.upgrade && plan.bufferedBody == null && !exchange.isRequestComplete()
                && !exchange.getRequestHeaders().contains(Headers.CONTENT_LENGTH);
    }

    /**
     * Headers not copied: hop-by-hop ones, {@code Expect} (the router answers {@code 100 Continue}
     * itself), {@code X-Forwarded-*} (rewritten), {@code Host} when replaced, and the length of a body
     * that is re-framed from a buffer.
     */
    private static boolean skipped(HttpString name, RequestPlan plan, boolean buffered) {
        return HopByHop.isHopByHop(name) || name.equals(Headers.EXPECT) || ForwardedHeaders.isForwardedHeader(name)
                || (!plan.preserveHost && name.equals(Headers.HOST))
                || (buffered && name.equals(Headers.CONTENT_LENGTH));
    }
}
