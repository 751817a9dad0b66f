package dev.switchboard.router.server;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * IO buffers cached per thread, for the proxy listener and the request path. Undertow's
 * {@code DefaultByteBufferPool} finds its per-thread cache through a synchronized
 * {@code WeakHashMap} on every allocation and release (about 4 % of CPU samples under load, several
 * buffers per request); here it is a plain {@link ThreadLocal}. A buffer goes back to the cache of
 * the thread that releases it; past {@code maxCachedPerThread} it is left to the garbage collector.
 * Each allocation gets a fresh handle, so a stale handle closed twice cannot release a buffer that
 * was handed out again.
 */
public final class ThreadLocalBufferPool implements ByteBufferPool {

    private final boolean direct;
    private final int bufferSize;
    private final int maxCachedPerThread;
    private final ThreadLocal<ArrayDeque<ByteBuffer>> cache = ThreadLocal.withInitial(ArrayDeque::new);
    private final ThreadLocalBufferPool arrayBacked;

    public ThreadLocalBufferPool(boolean direct, int bufferSize, int maxCachedPerThread) {
        this.direct = direct;
        this.bufferSize = bufferSize;
        this.maxCachedPerThread = maxCachedPerThread;
        this.arrayBacked = direct ? new ThreadLocalBufferPool(false, bufferSize, maxCachedPerThread) : this;
    }

    @Override
    public PooledByteBuffer allocate() {
        ByteBuffer b = cache.get().pollFirst();
        if (b == null) {
            b = direct ? ByteBuffer.allocateDirect(bufferSize) : ByteBuffer.allocate(bufferSize);
        } else {
            b.clear();
        }
        return new Handle(b);
    }

    @Override
    public ByteBufferPool getArrayBackedPool() {
        return arrayBacked;
    }

    @Override
    public void close() {
        cache.remove();
    }

    @Override
    public int getBufferSize() {
        return bufferSize;
    }

    @Override
    public boolean isDirect() {
        return direct;
    }

    private void release(ByteBuffer b) {
        ArrayDeque<ByteBuffer> free = cache.get();
        if (free.size() < maxCachedPerThread) {
            free.addFirst(b);
        }
    }

    private final class Handle implements PooledByteBuffer {
        private ByteBuffer buffer;

        Handle(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public ByteBuffer getBuffer() {
            ByteBuffer b = buffer;
            if (b == null) {
                throw new IllegalStateException("buffer already released");
            }
            return b;
        }

        @Override
        public void close() {
            ByteBuffer b = buffer;
            if (b != null) {
                buffer = null;
                release(b);
            }
        }

        @Override
        public boolean isOpen() {
            return buffer != null;
        }
    }
}
