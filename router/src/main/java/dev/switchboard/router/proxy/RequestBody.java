package dev.switchboard.router.proxy;

import dev.switchboard.router.upstream.ByteSink;
import dev.switchboard.router.upstream.Channels;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.function.Consumer;
import org.xnio.IoUtils;

/** Streams the client's request body to a backend as it arrives. */
final class RequestBody {

    private RequestBody() {
    }

    /**
     * Streams the client's body into {@code upstream}. A client read error aborts both sides
     * ({@code abortUpstream} closes the backend's connection); a body over the configured maximum
     * runs {@code tooLarge} while the client can still get a 413.
     */
    static Pump stream(HttpServerExchange client, ByteSink upstream, Runnable abortUpstream, Runnable sent,
                       Consumer<IOException> failed, Runnable tooLarge) {
        Pump pump = new Pump(Channels.source(client.getRequestChannel()), upstream,
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
                            abortUpstream.run();
                            tooLarge.run();
                        } else if (readSide) {
                            abortUpstream.run();
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
