package dev.switchboard.router.proxy;

import io.undertow.client.ClientExchange;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/** Sends the request body upstream: none, a kept (replayable) buffer, or streamed from the client. */
final class RequestBody {

    private RequestBody() {
    }

    /** Ends a sink: shuts down writes and flushes, finishing asynchronously if the socket is full. */
    static void finish(StreamSinkChannel sink, Consumer<IOException> failed) {
        try {
            sink.shutdownWrites();
            if (!sink.flush()) {
                sink.getWriteSetter().set(ChannelListeners.flushingChannelListener(
                        ch -> {
                            ch.suspendWrites();
                            ch.getWriteSetter().set(null);
                        },
                        (ch, e) -> failed.accept(e)));
                sink.resumeWrites();
            } else {
                sink.getWriteSetter().set(null);
            }
        } catch (IOException e) {
            failed.accept(e);
        }
    }

    static ChannelListener<StreamSinkChannel> finishing(Consumer<IOException> failed) {
        return sink -> finish(sink, failed);
    }

    static void sendBuffered(ClientExchange upstream, ByteBuffer body, Consumer<IOException> failed) {
        StreamSinkChannel sink = upstream.getRequestChannel();
        try {
            while (body.hasRemaining()) {
                if (sink.write(body) == 0) {
                    sink.getWriteSetter().set(ch -> {
                        try {
                            while (body.hasRemaining()) {
                                if (ch.write(body) == 0) {
                                    return;
                                }
                            }
                            ch.suspendWrites();
                            finish(ch, failed);
                        } catch (IOException e) {
                            failed.accept(e);
                        }
                    });
                    sink.resumeWrites();
                    return;
                }
            }
            finish(sink, failed);
        } catch (IOException e) {
            failed.accept(e);
        }
    }

    /** Streams the client's body; a client read error aborts both sides. */
    static Pump stream(HttpServerExchange client, ClientExchange upstream, Runnable sent, Consumer<IOException> failed,
                       Runnable tooLarge) {
        Pump pump = new Pump(client.getRequestChannel(), upstream.getRequestChannel(),
                client.getConnection().getByteBufferPool(), new Pump.Listener() {
                    @Override
                    public void done(Pump p) {
                        sent.run();
                    }

                    @Override
                    public void failed(Pump p, IOException e, boolean readSide) {
                        if (readSide && e instanceof io.undertow.server.RequestTooBigException
                                && !client.isResponseStarted()) {
                            // Over listen.max_request_body: the client still gets a 413, not a cut connection.
                            IoUtils.safeClose(upstream.getConnection());
                            tooLarge.run();
                        } else if (readSide) {
                            IoUtils.safeClose(upstream.getConnection());
                            IoUtils.safeClose(client.getConnection());
                        } else {
                            failed.accept(e);
                        }
                    }
                });
        pump.start();
        return pump;
    }
}
