package dev.switchboard.router.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.ReadReadyHandler;

/**
 * What XNIO's own {@code ReadReadyHandler.ChannelListenerHandler} does when a connection becomes
 * readable — call the channel's read listener, or suspend reads when it has none — without the
 * trace-level log call it makes first. That call is made on every readiness event, two per proxied
 * request (the client's, the backend's), and checking through JBoss Logging and logback that trace
 * is off reads objects the kernel's socket work has pushed out of cache: about 2.5 % of the IO
 * thread's user time at 100 B (bench/RESULTS.md, 2026-12-05). A listener that throws is logged, as
 * XNIO logs it, and the connection is left to its own timeouts.
 *
 * <p>Installed on the socket conduit under a channel, before Undertow sees the connection; conduits
 * stacked on top later pass readiness down to the same handler. XNIO's read-timeout and idle-timeout
 * conduits put XNIO's own handler back when they are created (the listener does not set either
 * option): the connection then works as before, only without the saving.
 */
public final class QuietReadReady implements ReadReadyHandler {

    private static final Logger log = LoggerFactory.getLogger(QuietReadReady.class);

    private final ConduitStreamSourceChannel channel;

    private QuietReadReady(ConduitStreamSourceChannel channel) {
        this.channel = channel;
    }

    /** Puts the quiet handler in place of XNIO's for {@code channel}'s readiness events. */
    public static void install(ConduitStreamSourceChannel channel) {
        channel.getConduit().setReadReadyHandler(new QuietReadReady(channel));
    }

    @Override
    public void readReady() {
        ChannelListener<? super ConduitStreamSourceChannel> listener = channel.getReadListener();
        if (listener == null) {
            channel.suspendReads();
            return;
        }
        try {
            listener.handleEvent(channel);
        } catch (Throwable t) {
            log.error("read listener {} on {} failed", listener, channel, t);
        }
    }

    @Override
    public void forceTermination() {
        IoUtils.safeClose(channel);
    }

    @Override
    public void terminated() {
        ChannelListeners.invokeChannelListener(channel, channel.getCloseListener());
    }
}
