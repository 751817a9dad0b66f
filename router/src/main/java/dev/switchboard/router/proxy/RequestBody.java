package dev.switchboard.router.proxy;

import dev.switchboard.router.upstream.ByteSink;
import dev.switchboard.router.upstream.ByteSource;
import dev.switchboard.router.upstream.Channels;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.xnio.IoUtils;

/** Streams the client's request body to a backend as it arrives. */
final class RequestBody {

    private RequestBody() {
    }

    /**
     * Streams the client's body into {@code upstream}. A client read error aborts both sides
     * ({@code abortUpstream} closes the backend's connection); a body over {@code maxBody} (0: no
     * limit) runs {@code tooLarge} while the client can still get a 413.
     */
    static Pump stream(HttpServerExchange client, ByteSink upstream, long maxBody, Runnable abortUpstream, Runnable sent,
                       Consumer<IOException> failed, Runnable tooLarge) {
        ByteSource source = Channels.source(client.getRequestChannel());
        Pump pump = new Pump(maxBody > 0 ? limited(source, maxBody) : source, upstream,
                client.getConnection().getByteBufferPool(), new Pump.Listener() {
                    @Override
                    public void done(Pump p) {
                        sent.run();
                    }

                    @Override
                    public void failed(Pump p, IOException e, boolean readSide) {
                        if (readSide && e instanceof RequestTooBigException && !client.isResponseStarted()) {
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
                }, System.nanoTime());
        pump.start();
        return pump;
    }

    /**
     * Counts a body of undeclared length (chunked) against the limit: Undertow's own limit, set
     * higher on the listener (ProxyServer), would close the connection without a response; counting
     * here fails the read first, while a 413 can still be sent.
     */
    private static ByteSource limited(ByteSource source, long max) {
        return new ByteSource() {
            private long total;

            @Override
            public int read(ByteBuffer dst) throws IOException {
                int n = source.read(dst);
                if (n > 0 && (total += n) > max) {
                    throw new RequestTooBigException("request body over " + max + " bytes");
                }
                return n;
            }

            @Override
            public void setReadListener(Runnable listener) {
                source.setReadListener(listener);
            }

            @Override
            public void resumeReads() {
                source.resumeReads();
            }

            @Override
            public void suspendReads() {
                source.suspendReads();
            }
        };
    }
}
