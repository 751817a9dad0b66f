package dev.switchboard.router.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
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
        // Undertow runs this callback like a handler: unless the exchange is dispatched again, it ends
        // the exchange when the callback returns, while our attempt is still connecting (seen as 200
        // with an empty body when the body arrived together with the headers).
        exchange.getRequestReceiver().receiveFullBytes(
                (ex, bytes) -> ex.dispatch(SameThreadExecutor.INSTANCE,
                        () -> done.accept(ByteBuffer.wrap(bytes).asReadOnlyBuffer())),
                (ex, e) -> {
                    plan.error = ProxyError.BAD_REQUEST;
                    IoUtils.safeClose(ex.getConnection());
                });
    }
}
