package dev.switchboard.router.testing;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.nio.ByteBuffer;

/** A buffer pool that pools nothing and counts: buffers handed out, and those not given back yet. */
public final class CountingBufferPool implements ByteBufferPool {

    private final int size;
    private final boolean direct;
    private int allocated;
    private int outstanding;

    public CountingBufferPool(int size, boolean direct) {
        this.size = size;
        this.direct = direct;
    }

    public int allocated() {
        return allocated;
    }

    public int outstanding() {
        return outstanding;
    }

    @Override
    public PooledByteBuffer allocate() {
        allocated++;
        outstanding++;
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        return new PooledByteBuffer() {
            private boolean open = true;

            @Override
            public ByteBuffer getBuffer() {
                return b;
            }

            @Override
            public void close() {
                if (open) {
                    open = false;
                    outstanding--;
                }
            }

            @Override
            public boolean isOpen() {
                return open;
            }
        };
    }

    @Override
    public ByteBufferPool getArrayBackedPool() {
        return direct ? new CountingBufferPool(size, false) : this;
    }

    @Override
    public void close() {
    }

    @Override
    public int getBufferSize() {
        return size;
    }

    @Override
    public boolean isDirect() {
        return direct;
    }
}
