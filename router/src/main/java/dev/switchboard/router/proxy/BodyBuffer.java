package dev.switchboard.router.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.xnio.IoUtils;

/**
 * Reads a small request body fully so that a retry can send it again. Only used when the body's
 * declared length is within the retry policy's {@code max_buffered_body}.
 *
 * <p>No backend is involved yet, so a client that stops sending is answered here: after the route's
 * idle timeout without a byte, 408 and the connection closed (nothing else in the server would
 * ever cut it: Undertow's idle timeout does not apply to HTTP/1.1 connections).
 */
final class BodyBuffer {

    private final HttpServerExchange exchange;
    private final RequestPlan plan;
    private final Consumer<ByteBuffer> done;
    private final byte[] body;
    private final Deadlines.Timer idle = new Deadlines.Timer(this::idleCheck);
    private int filled;
    private long lastActivityNanos;
    private boolean over;

    private BodyBuffer(HttpServerExchange exchange, RequestPlan plan, Consumer<ByteBuffer> done) {
        this.exchange = exchange;
        this.plan = plan;
        this.done = done;
        this.body = new byte[(int) plan.requestLength];
    }

    /** Reads the body (its declared length is at most max_buffered_body) and hands it to {@code done}. */
    static void read(HttpServerExchange exchange, RequestPlan plan, Consumer<ByteBuffer> done) {
        new BodyBuffer(exchange, plan, done).start();
    }

    private void start() {
        lastActivityNanos = System.nanoTime();
        if (plan.idleTimeoutMillis > 0) {
            Deadlines.of(exchange.getIoThread()).arm(idle, plan.idleTimeoutMillis, lastActivityNanos);
        }
        exchange.getRequestReceiver().receivePartialBytes(this::received, (ex, e) -> failed(e));
    }

    private void received(HttpServerExchange ex, byte[] bytes, boolean last) {
        if (over) {
            return;
        }
        lastActivityNanos = System.nanoTime();
        if (bytes.length > body.length - filled) {
            // Undertow frames the body by its Content-Length; more bytes than that is not a body we send.
            failed(new IOException("request body longer than its Content-Length"));
            return;
        }
        System.arraycopy(bytes, 0, body, filled, bytes.length);
        filled += bytes.length;
        if (!last) {
            return;
        }
        over = true;
        disarm();
        if (filled != body.length) {
            failed(new IOException("request body ended after " + filled + " of " + body.length + " bytes"));
            return;
        }
        // Undertow runs this callback like a handler: unless the exchange is dispatched again, it ends
        // the exchange when the callback returns, while our attempt is still connecting (seen as 200
        // with an empty body when the body arrived together with the headers).
        ex.dispatch(SameThreadExecutor.INSTANCE, () -> done.accept(ByteBuffer.wrap(body).asReadOnlyBuffer()));
    }

    private void failed(IOException e) {
        over = true;
        disarm();
        if (plan.error == null) {
            plan.error = ProxyError.BAD_REQUEST;
        }
        IoUtils.safeClose(exchange.getConnection());
    }

    private void disarm() {
        Deadlines.of(exchange.getIoThread()).disarm(idle);
    }

    private void idleCheck() {
        if (over || !Deadlines.of(exchange.getIoThread()).idleOrRearm(idle, plan.idleTimeoutMillis, lastActivityNanos)) {
            return;
        }
        over = true;
        plan.error = ProxyError.REQUEST_TIMEOUT;
        // Sent with Connection: close; the unread rest of the body is never drained.
        ProxyError.REQUEST_TIMEOUT.send(exchange);
    }
}
