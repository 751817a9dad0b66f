package dev.switchboard.router.proxy;

import dev.switchboard.router.backend.UpstreamPool;
import io.undertow.client.ClientExchange;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Transfer;
import java.io.IOException;
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
    static void prepare(HttpServerExchange client, ClientExchange upstream, UpstreamPool pool) {
        ByteBufferPool buffers = client.getConnection().getByteBufferPool();
        client.upgradeChannel((clientSide, ex) -> {
            StreamConnection backendSide = null;
            try {
                backendSide = upstream.getConnection().performUpgrade();
                pool.detach(upstream.getConnection());
                pipe(backendSide, clientSide, buffers);
                pipe(clientSide, backendSide, buffers);
            } catch (IOException e) {
                log.debug("upgrade to {} failed: {}", upstream.getConnection().getPeerAddress(), e.toString());
                IoUtils.safeClose(clientSide, backendSide);
            }
        });
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Upgrades.class);

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
