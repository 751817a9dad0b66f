package dev.switchboard.router.proxy;

import dev.switchboard.router.upstream.ByteSource;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;

/** Streams a backend's response body to the client with one pooled buffer; never holds the whole body. */
final class ResponseRelay {

    interface Failure {
        void failed(IOException e, boolean upstreamSide);
    }

    /** The empty body of a response that has none of its own (a {@code 101} before the pipe starts). */
    static final ByteSource NO_BODY = new ByteSource() {
        @Override
        public int read(java.nio.ByteBuffer dst) {
            return -1;
        }

        @Override
        public void setReadListener(Runnable listener) {
        }

        @Override
        public void resumeReads() {
        }

        @Override
        public void suspendReads() {
        }
    };

    private ResponseRelay() {
    }

    /**
     * Starts relaying. {@code upstreamDone} runs once the backend's response was read to its end (its
     * connection can then be reused), before the client side is finished. {@code nowNanos}: a clock
     * reading taken as the response arrived.
     */
    static Pump start(ByteSource upstream, HttpServerExchange client, Runnable upstreamDone, Failure failure, long nowNanos) {
        Pump pump = new Pump(upstream, new ResponseSink(client),
                client.getConnection().getByteBufferPool(), new Pump.Listener() {
                    @Override
                    public void sourceEnded(Pump p) {
                        upstreamDone.run();
                    }

                    @Override
                    public void done(Pump p) {
                    }

                    @Override
                    public void failed(Pump p, IOException e, boolean readSide) {
                        failure.failed(e, readSide);
                    }
                }, nowNanos);
        pump.start();
        return pump;
    }
}
