package dev.switchboard.router.backend;

import dev.switchboard.router.upstream.UpstreamConnection;
import io.undertow.connector.ByteBufferPool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.ChannelListeners;
import org.xnio.IoFuture;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * Keep-alive connections to one backend, one small pool per IO thread.
 *
 * <p>Everything about a connection happens on the IO thread that owns it (the thread of the client
 * exchange that opened it), so each per-thread pool is confined to its thread and needs no locks.
 * Compared with Undertow's {@code ProxyConnectionPool} this pool returns a connection as soon as the
 * caller is done with it, bounds the wait queue with a timeout, keeps exact open/idle counts for
 * metrics, and {@link #close()} really closes every idle connection on every thread (connections in
 * use are closed when released), which matters when Consul churns membership.
 */
public final class UpstreamPool {

    /** Outcome of {@link #acquire}. Exactly one method is called, on the requesting IO thread. */
    public interface Callback {
        void connected(UpstreamConnection connection, boolean reused);

        /** The connection could not be opened: refused, unreachable, or the connect timeout passed. */
        void connectFailed(IOException cause, boolean timedOut);

        /** The pool is full and its queue too, or the queue wait timed out, or the pool is closed. */
        void rejected(String reason);
    }

    private final URI uri;
    private final InetSocketAddress address;
    private final OptionMap options;
    private final int maxPerThread;
    private final int maxQueuePerThread;
    private final long queueTimeoutMillis;
    private final long ttlMillis;
    private final ThreadPool[] pools;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    private volatile boolean closed;

    public UpstreamPool(URI uri, int ioThreads, int maxPerThread, int maxQueuePerThread,
                        long queueTimeoutMillis, long ttlMillis, OptionMap options) {
        this.uri = uri;
        this.address = addressOf(uri);
        this.options = options;
        this.maxPerThread = Math.max(1, maxPerThread);
        this.maxQueuePerThread = Math.max(0, maxQueuePerThread);
        this.queueTimeoutMillis = queueTimeoutMillis;
        this.ttlMillis = ttlMillis;
        this.pools = new ThreadPool[ioThreads];
        for (int i = 0; i < ioThreads; i++) {
            pools[i] = new ThreadPool();
        }
    }

    /** The backend's socket address; the URI's host is an IP literal (resolved before the pool was made). */
    private static InetSocketAddress addressOf(URI uri) {
        try {
            return new InetSocketAddress(InetAddress.getByName(uri.getHost()), uri.getPort());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("backend address is not an IP literal: " + uri, e);
        }
    }

    public URI uri() {
        return uri;
    }

    public int openConnections() {
        return open.get();
    }

    public int idleConnections() {
        return idle.get();
    }

    /**
     * Requests waiting for a pooled connection, summed over IO threads. Read off those threads, so
     * approximate: for metrics only.
     */
    public int queued() {
        int n = 0;
        for (ThreadPool p : pools) {
            n += p.waiters.size();
        }
        return n;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Asks for a connection on {@code thread}; must be called on that thread. */
    public void acquire(XnioIoThread thread, ByteBufferPool buffers, long connectTimeoutMillis, Callback callback) {
        if (closed) {
            callback.rejected("backend removed");
            return;
        }
        ThreadPool pool = pools[thread.getNumber()];
        UpstreamConnection conn = pool.pollIdle();
        if (conn != null) {
            callback.connected(conn, true);
            return;
        }
        if (pool.open < maxPerThread) {
            connect(pool, thread, buffers, connectTimeoutMillis, callback);
            return;
        }
        if (pool.waiters.size() >= maxQueuePerThread) {
            callback.rejected("connection pool and queue full");
            return;
        }
        Waiter w = new Waiter(callback, buffers, connectTimeoutMillis);
        w.timeoutKey = thread.executeAfter(() -> {
            if (pool.waiters.remove(w)) {
                callback.rejected("timed out waiting for a pooled connection");
            }
        }, queueTimeoutMillis, TimeUnit.MILLISECONDS);
        pool.waiters.add(w);
    }

    /**
     * Gives a connection back after a complete exchange. Reusable connections go to a waiter or the
     * idle stack; others are closed. Must be called on the connection's IO thread.
     */
    public void release(UpstreamConnection connection, boolean reusable) {
        release(connection, reusable, System.nanoTime());
    }

    /** {@link #release(UpstreamConnection, boolean)} with a clock reading the caller just took. */
    public void release(UpstreamConnection connection, boolean reusable, long nowNanos) {
        if (!reusable || closed || !connection.isOpen()) {
            // Closed at once (no graceful drain behind a response nobody reads); the close listener
            // frees the slot and serves a waiter.
            connection.close();
            return;
        }
        ThreadPool pool = pools[connection.ioThread().getNumber()];
        connection.idle(nowNanos);
        Waiter w = pool.waiters.poll();
        if (w != null) {
            w.timeoutKey.remove();
            w.callback.connected(connection, true);
            return;
        }
        pool.pushIdle(connection);
        pool.scheduleReaper(connection.ioThread());
    }

    /** Forgets a connection that was taken over by a protocol upgrade; the upgrade owns it now. */
    public void detach(UpstreamConnection connection) {
        ThreadPool pool = pools[connection.ioThread().getNumber()];
        connection.setCloseListener(null);
        pool.open--;
        open.decrementAndGet();
        pool.serveWaiter(connection.ioThread());
    }

    /** Closes idle connections on every thread now; connections in use close when released. */
    public void close() {
        closed = true;
        for (ThreadPool pool : pools) {
            XnioIoThread thread = pool.thread;
            if (thread != null) {
                try {
                    thread.execute(pool::closeAll);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // The IO thread is stopping: its connections close with it.
                }
            }
        }
    }

    private void connect(ThreadPool pool, XnioIoThread thread, ByteBufferPool buffers, long timeoutMillis, Callback callback) {
        pool.thread = thread;
        pool.open++;
        open.incrementAndGet();
        IoFuture<StreamConnection> future = thread.openStreamConnection(address, ChannelListeners.nullChannelListener(), options);
        ConnectAttempt attempt = new ConnectAttempt(pool, buffers, callback, future);
        if (timeoutMillis > 0) {
            attempt.timeoutKey = thread.executeAfter(attempt::timedOut, timeoutMillis, TimeUnit.MILLISECONDS);
        }
        future.addNotifier(attempt, null);
    }

    private final class ConnectAttempt extends IoFuture.HandlingNotifier<StreamConnection, Object> {
        private final ThreadPool pool;
        private final ByteBufferPool buffers;
        private final Callback callback;
        private final IoFuture<StreamConnection> future;
        XnioExecutor.Key timeoutKey;
        private boolean done;

        ConnectAttempt(ThreadPool pool, ByteBufferPool buffers, Callback callback, IoFuture<StreamConnection> future) {
            this.pool = pool;
            this.buffers = buffers;
            this.callback = callback;
            this.future = future;
        }

        void timedOut() {
            if (!done) {
                done = true;
                callback.connectFailed(new IOException("connect timed out"), true);
                // A SYN into a black hole would otherwise hold the slot for the kernel's timeout.
                future.cancel();
            }
        }

        @Override
        public void handleDone(StreamConnection channel, Object attachment) {
            UpstreamConnection connection = new UpstreamConnection(channel, buffers);
            connection.setCloseListener(pool::onClosed);
            if (done) {
                // The caller gave up (timeout); the connection is still good for someone else.
                release(connection, true);
                return;
            }
            done = true;
            if (timeoutKey != null) {
                timeoutKey.remove();
            }
            callback.connected(connection, false);
        }

        @Override
        public void handleFailed(IOException e, Object attachment) {
            failed(e);
        }

        @Override
        public void handleCancelled(Object attachment) {
            failed(new IOException("connect cancelled"));
        }

        private void failed(IOException e) {
            pool.open--;
            open.decrementAndGet();
            if (timeoutKey != null) {
                timeoutKey.remove();
            }
            if (!done) {
                done = true;
                callback.connectFailed(e, false);
            }
            // A waiter queued behind this attempt would wait for a slot that is now free.
            pool.serveWaiter(pool.thread);
        }
    }

    private static final class Waiter {
        final Callback callback;
        final ByteBufferPool buffers;
        final long connectTimeoutMillis;
        XnioExecutor.Key timeoutKey;

        Waiter(Callback callback, ByteBufferPool buffers, long connectTimeoutMillis) {
            this.callback = callback;
            this.buffers = buffers;
            this.connectTimeoutMillis = connectTimeoutMillis;
        }
    }

    /** State of one IO thread's connections to this backend. Touched only on that thread. */
    private final class ThreadPool {
        final ArrayDeque<UpstreamConnection> idleStack = new ArrayDeque<>();
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        volatile XnioIoThread thread;
        int open;
        boolean reaperScheduled;

        UpstreamConnection pollIdle() {
            UpstreamConnection c;
            while ((c = idleStack.pollFirst()) != null) {
                idle.decrementAndGet();
                if (c.isOpen()) {
                    return c;
                }
            }
            return null;
        }

        void pushIdle(UpstreamConnection c) {
            idleStack.addFirst(c);
            idle.incrementAndGet();
        }

        void onClosed(UpstreamConnection c) {
            open--;
            UpstreamPool.this.open.decrementAndGet();
            if (idleStack.removeFirstOccurrence(c)) {
                idle.decrementAndGet();
            }
            serveWaiter(c.ioThread());
        }

        void serveWaiter(XnioIoThread t) {
            if (closed || t == null || open >= maxPerThread) {
                return;
            }
            Waiter w = waiters.poll();
            if (w != null) {
                w.timeoutKey.remove();
                connect(this, t, w.buffers, w.connectTimeoutMillis, w.callback);
            }
        }

        void scheduleReaper(XnioIoThread t) {
            if (reaperScheduled || ttlMillis <= 0) {
                return;
            }
            reaperScheduled = true;
            t.executeAfter(() -> reap(t), ttlMillis, TimeUnit.MILLISECONDS);
        }

        /** Closes connections idle longer than the TTL (oldest are at the tail of the stack). */
        void reap(XnioIoThread t) {
            reaperScheduled = false;
            long cutoff = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(ttlMillis);
            while (!idleStack.isEmpty() && idleStack.peekLast().idleSinceNanos() - cutoff <= 0) {
                UpstreamConnection c = idleStack.pollLast();
                idle.decrementAndGet();
                c.close();
            }
            if (!idleStack.isEmpty()) {
                scheduleReaper(t);
            }
        }

        void closeAll() {
            UpstreamConnection c;
            while ((c = idleStack.pollFirst()) != null) {
                idle.decrementAndGet();
                c.close();
            }
            Waiter w;
            while ((w = waiters.poll()) != null) {
                w.timeoutKey.remove();
                w.callback.rejected("backend removed");
            }
        }
    }
}
