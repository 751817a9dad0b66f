package dev.switchboard.router.server;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's selector provider, except that a selector hands out its ready keys in the order the
 * kernel reported them rather than in hash order.
 *
 * <p>An XNIO IO thread serves what one {@code select} returned by copying the selector's
 * selected-key set to an array and walking it. The JDK keeps that set in a {@code HashSet}, so every
 * batch is served in the order of the keys' identity hashes: the same keep-alive connections come
 * last in every batch, and under load their requests wait most of a batch longer than the others —
 * the same mean latency with a longer tail. epoll reports ready descriptors first-ready, first-out;
 * kept in that order, the request that has waited longest is served first (bench/RESULTS.md,
 * 2026-11-22: p99 lower in every paired round at 256 connections).
 *
 * <p>XNIO creates this class by name ({@value #XNIO_PROPERTY}, set by {@link #install()}). The
 * ordered set is written into the JDK selector's private fields with {@link FieldWrites}; where that
 * is unavailable or fails, the selector stays as the JDK made it and only the order differs.
 */
public final class ReadyOrderSelectorProvider extends SelectorProvider {

    static final String XNIO_PROPERTY = "xnio.nio.selector.provider";

    private static final Logger log = LoggerFactory.getLogger(ReadyOrderSelectorProvider.class);
    private static final AtomicBoolean warned = new AtomicBoolean();
    private static final SelectorProvider JDK = SelectorProvider.provider();

    /** For XNIO, which instantiates the provider named by {@value #XNIO_PROPERTY}. */
    public ReadyOrderSelectorProvider() {
    }

    /**
     * Makes XNIO use this provider for every worker created after the first {@code Xnio.getInstance}
     * in this JVM, unless the property names another provider. Before then, it has no effect.
     */
    public static void install() {
        if (FieldWrites.available() && System.getProperty(XNIO_PROPERTY) == null) {
            System.setProperty(XNIO_PROPERTY, ReadyOrderSelectorProvider.class.getName());
        }
    }

    @Override
    public AbstractSelector openSelector() throws IOException {
        AbstractSelector selector = JDK.openSelector();
        try {
            keepReadyOrder(selector);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            if (warned.compareAndSet(false, true)) {
                log.warn("selector: keeping the JDK's hash order of ready connections (a longer latency tail under load): {}",
                        e.toString());
            }
        }
        return selector;
    }

    /** Swaps the JDK selector's selected-key set, and the public view of it, for insertion-ordered ones. */
    private static void keepReadyOrder(AbstractSelector selector) throws ReflectiveOperationException {
        if (!FieldWrites.available()) {
            throw new IllegalStateException("no silent field writes on JDK " + Runtime.version().feature());
        }
        Class<?> impl = Class.forName("sun.nio.ch.SelectorImpl");
        if (!impl.isInstance(selector)) {
            throw new IllegalStateException(selector.getClass().getName() + " is not a " + impl.getName());
        }
        Set<SelectionKey> ordered = new LinkedHashSet<>();
        Field selected = impl.getDeclaredField("selectedKeys");
        Field view = impl.getDeclaredField("publicSelectedKeys");
        FieldWrites.write(selector, selected, ordered);
        FieldWrites.write(selector, view, new Ungrowable(ordered));
        if (selector.selectedKeys() instanceof Ungrowable u && u.keys == ordered) {
            return;
        }
        throw new IllegalStateException("selectedKeys() did not change");
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return JDK.openDatagramChannel();
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return JDK.openDatagramChannel(family);
    }

    @Override
    public Pipe openPipe() throws IOException {
        return JDK.openPipe();
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return JDK.openServerSocketChannel();
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return JDK.openSocketChannel();
    }

    /** What {@code Selector.selectedKeys()} promises: keys may be removed, never added. */
    static final class Ungrowable extends AbstractSet<SelectionKey> {
        private final Set<SelectionKey> keys;

        Ungrowable(Set<SelectionKey> keys) {
            this.keys = keys;
        }

        @Override
        public Iterator<SelectionKey> iterator() {
            return keys.iterator();
        }

        @Override
        public int size() {
            return keys.size();
        }

        @Override
        public boolean contains(Object o) {
            return keys.contains(o);
        }

        @Override
        public boolean remove(Object o) {
            return keys.remove(o);
        }

        @Override
        public void clear() {
            keys.clear();
        }

        @Override
        public Object[] toArray() {
            return keys.toArray();
        }

        @Override
        public <T> T[] toArray(T[] a) {
            return keys.toArray(a);
        }

        @Override
        public boolean add(SelectionKey key) {
            throw new UnsupportedOperationException("selected keys are added by the selector");
        }
    }
}
