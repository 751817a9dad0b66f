package dev.switchboard.router.proxy;

import io.undertow.client.ClientExchange;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Transfer;
import java.io.IOException;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/** Streams a backend's response body to the client with one pooled buffer; never holds the whole body. */
final class ResponseRelay {

    interface Failure {
        void failed(IOException e, boolean upstreamSide);
    }

    private ResponseRelay() {
    }

    static void start(ClientExchange upstream, HttpServerExchange client, Runnable upstreamDone, Failure failure) {
        StreamSourceChannel source = upstream.getResponseChannel();
        StreamSinkChannel sink = client.getResponseChannel();
        ChannelListener<StreamSourceChannel> sourceDone = channel -> {
            channel.suspendReads();
            channel.getReadSetter().set(null);
            upstreamDone.run();
            IoUtils.safeClose(channel);
        };
        Transfer.initiateTransfer(source, sink, sourceDone,
                RequestBody.finishing(e -> failure.failed(e, false)),
                (channel, e) -> failure.failed(e, true),
                (channel, e) -> failure.failed(e, false),
                client.getConnection().getByteBufferPool());
    }
}
