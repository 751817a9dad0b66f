package dev.switchboard.router.proxy;

import dev.switchboard.router.backend.UpstreamPool;
import dev.switchboard.router.upstream.UpstreamConnection;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Transfer;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.channels.StreamSinkChannel;

/**
 * Protocol upgrades (WebSocket): after the backend's {@code 101}, both connections become a raw
 * byte pipe in each direction until either side closes. The upstream connection leaves the pool.
 */
final class Upgrades {

    private Upgrades() {
    }

    /** Arranges the pipe to start once the client's exchange has sent the 101 and ended. */
    static void prepare(HttpServerExchange client, UpstreamConnection upstream, UpstreamPool pool) {
        ByteBufferPool buffers = client.getConnection().getByteBufferPool();
        StreamConnection backendSide = upstream.upgrade();
        pool.detach(upstream);
        client.upgradeChannel((clientSide, ex) -> {
            pipe(backendSide, clientSide, buffers);
            pipe(clientSide, backendSide, buffers);
        });
    }

    private static void pipe(StreamConnection from, StreamConnection to, ByteBufferPool buffers) {
        Transfer.initiateTransfer(from.getSourceChannel(), to.getSinkChannel(),
                ChannelListeners.closingChannelListener(),
                ChannelListeners.<StreamSinkChannel>writeShutdownChannelListener(
                        ChannelListeners.<StreamSinkChannel>flushingChannelListener(
                                ChannelListeners.closingChannelListener(), ChannelListeners.closingChannelExceptionHandler()),
                        ChannelListeners.closingChannelExceptionHandler()),
                (ch, e) -> IoUtils.safeClose(from, to),
                (ch, e) -> IoUtils.safeClose(from, to),
                buffers);
    }
}
