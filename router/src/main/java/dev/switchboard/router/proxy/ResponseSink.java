package dev.switchboard.router.proxy;

import dev.switchboard.router.upstream.ByteSink;
import dev.switchboard.router.upstream.Channels;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The client's response channel, taken from Undertow only when the first byte is written or the
 * body ends. Taking it commits the response head; until then a backend body that fails at its very
 * first read (an invalid chunk in the same packet as the head) can still be answered with a 502 or
 * retried, instead of closing a connection that has said nothing.
 */
final class ResponseSink implements ByteSink {

    private final HttpServerExchange exchange;
    private ByteSink channel;
    private Runnable writeListener;

    ResponseSink(HttpServerExchange exchange) {
        this.exchange = exchange;
    }

    private ByteSink channel() {
        if (channel == null) {
            channel = Channels.sink(exchange.getResponseChannel());
            channel.setWriteListener(writeListener);
        }
        return channel;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel().write(src);
    }

    @Override
    public boolean finish() throws IOException {
        return channel().finish();
    }

    @Override
    public void setWriteListener(Runnable listener) {
        writeListener = listener;
        if (channel != null) {
            channel.setWriteListener(listener);
        }
    }

    @Override
    public void resumeWrites() {
        channel().resumeWrites();
    }

    @Override
    public void suspendWrites() {
        if (channel != null) {
            channel.suspendWrites();
        }
    }
}
