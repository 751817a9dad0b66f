package dev.switchboard.router.backend;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.UndertowClient;
import io.undertow.connector.ByteBufferPool;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
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
        void connected(ClientConnection connection, boolean reused);

        /** The connection could not be opened: refused, unreachable, or the connect timeout passed. */
        void connectFailed(IOException cause, boolean timedOut);

        /** The pool is full and its queue too, or the queue wait timed out, or the pool is closed. */
        void rejected(String reason);
    }

    private final URI uri;
    private final UndertowClient client = UndertowClient.getInstance();
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
        ClientConnection conn = pool.pollIdle();
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
    public void release(ClientConnection connection, boolean reusable) {
        ThreadPool pool = pools[connection.getIoThread().getNumber()];
        if (!reusable || closed || !connection.isOpen() || connection.isUpgraded()) {
            if (connection.isOpen() && !connection.isUpgraded()) {
                // Undertow closes gracefully: behind a response nobody reads (a timed-out attempt on a
                // frozen backend) it drains for up to 10 s. Free the slot now, not when the drain ends.
                connection.getCloseSetter().set(null);
                pool.open--;
                open.decrementAndGet();
                IoUtils.safeClose(connection);
                pool.serveWaiter(connection.getIoThread());
                return;
            }
            IoUtils.safeClose(connection);
            return;
        }
        Waiter w = pool.waiters.poll();
        if (w != null) {
            w.timeoutKey.remove();
            w.callback.connected(connection, true);
            return;
        }
        pool.pushIdle(connection, System.nanoTime());
        pool.scheduleReaper(connection.getIoThread());
    }

    /** Forgets a connection that was taken over by a protocol upgrade; the upgrade owns it now. */
    public void detach(ClientConnection connection) {
        ThreadPool pool = pools[connection.getIoThread().getNumber()];
        connection.getCloseSetter().set(null);
        pool.open--;
        open.decrementAndGet();
        pool.serveWaiter(connection.getIoThread());
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
        ConnectAttempt attempt = new ConnectAttempt(pool, callback);
        if (timeoutMillis > 0) {
            attempt.timeoutKey = thread.executeAfter(attempt::timedOut, timeoutMillis, TimeUnit.MILLISECONDS);
        }
        client.connect(attempt, null, uri, thread, null, buffers, options);
    }

    private final class ConnectAttempt implements ClientCallback<ClientConnection> {
        private final ThreadPool pool;
        private final Callback callback;
        XnioExecutor.Key timeoutKey;
        private boolean done;

        ConnectAttempt(ThreadPool pool, Callback callback) {
            this.pool = pool;
            this.callback = callback;
        }

        void timedOut() {
            if (!done) {
                done = true;
                callback.connectFailed(new IOException("connect timed out"), true);
            }
        }

        @Override
        public void completed(ClientConnection connection) {
            connection.getCloseSetter().set(c -> pool.onClosed(c));
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
        public void failed(IOException e) {
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
        final ArrayDeque<ClientConnection> idleStack = new ArrayDeque<>();
        final ArrayDeque<Long> idleSince = new ArrayDeque<>();
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        volatile XnioIoThread thread;
        int open;
        boolean reaperScheduled;

        ClientConnection pollIdle() {
            ClientConnection c;
            while ((c = idleStack.pollFirst()) != null) {
                idleSince.pollFirst();
                idle.decrementAndGet();
                if (c.isOpen()) {
                    return c;
                }
            }
            return null;
        }

        void pushIdle(ClientConnection c, long now) {
            idleStack.addFirst(c);
            idleSince.addFirst(now);
            idle.incrementAndGet();
        }

        void onClosed(ClientConnection c) {
            open--;
            UpstreamPool.this.open.decrementAndGet();
            Iterator<ClientConnection> it = idleStack.iterator();
            Iterator<Long> times = idleSince.iterator();
            while (it.hasNext()) {
                times.next();
                if (it.next() == c) {
                    it.remove();
                    times.remove();
                    idle.decrementAndGet();
                    break;
                }
            }
            serveWaiter(c.getIoThread());
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
            while (!idleSince.isEmpty() && idleSince.peekLast() <= cutoff) {
                idleSince.pollLast();
                ClientConnection c = idleStack.pollLast();
                idle.decrementAndGet();
                IoUtils.safeClose(c);
            }
            if (!idleStack.isEmpty()) {
                scheduleReaper(t);
            }
        }

        void closeAll() {
            ClientConnection c;
            while ((c = idleStack.pollFirst()) != null) {
                idleSince.pollFirst();
                idle.decrementAndGet();
                IoUtils.safeClose(c);
            }
            Waiter w;
            while ((w = waiters.poll()) != null) {
                w.timeoutKey.remove();
                w.callback.rejected("backend removed");
            }
        }
    }
}
