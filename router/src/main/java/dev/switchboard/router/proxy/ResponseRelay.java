package dev.switchboard.router.proxy;

import io.undertow.client.ClientExchange;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;

/** Streams a backend's response body to the client with one pooled buffer; never holds the whole body. */
final class ResponseRelay {

    interface Failure {
        void failed(IOException e, boolean upstreamSide);
    }

    private ResponseRelay() {
    }

    /**
     * Starts relaying. {@code upstreamDone} runs once the backend's response was read to its end (its
     * connection can then be reused), before the client side is finished.
     */
    static Pump start(ClientExchange upstream, HttpServerExchange client, Runnable upstreamDone, Failure failure) {
        Pump pump = new Pump(upstream.getResponseChannel(), client.getResponseChannel(),
                client.getConnection().getByteBufferPool(), new Pump.Listener() {
                    @Override
                    public void sourceEnded(Pump p) {
                        // Reading to the end completes the client exchange; closing the channel here
                        // would close the pooled connection.
                        upstreamDone.run();
                    }

                    @Override
                    public void done(Pump p) {
                    }

                    @Override
                    public void failed(Pump p, IOException e, boolean readSide) {
                        failure.failed(e, readSide);
                    }
                });
        pump.start();
        return pump;
    }
}
