package dev.switchboard.router.proxy;

import io.undertow.server.HttpServerExchange;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.xnio.IoUtils;

/**
 * Reads a small request body fully so that a retry can send it again. Only used when the body's
 * declared length is within the retry policy's {@code max_buffered_body}.
 */
final class BodyBuffer {

    private BodyBuffer() {
    }

    static void read(HttpServerExchange exchange, RequestPlan plan, Consumer<ByteBuffer> done) {
        exchange.getRequestReceiver().receiveFullBytes(
                (ex, bytes) -> done.accept(ByteBuffer.wrap(bytes).asReadOnlyBuffer()),
                (ex, e) -> {
                    plan.error = ProxyError.BAD_REQUEST;
                    IoUtils.safeClose(ex.getConnection());
                });
    }
}
