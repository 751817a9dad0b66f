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
        ChannelListener<StreamSinkChannel> sinkDone = channel -> {
            // Transfer calls this only after the source reached EOF: the upstream response is complete
            // even if the source listener (scheduled separately) has not run yet.
            upstreamDone.run();
            RequestBody.finish(channel, e -> failure.failed(e, false));
        };
        Transfer.initiateTransfer(source, sink, sourceDone, sinkDone,
                (channel, e) -> failure.failed(e, true),
                (channel, e) -> failure.failed(e, false),
                client.getConnection().getByteBufferPool());
    }
}
