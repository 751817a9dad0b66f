package dev.switchboard.router.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undertow.connector.PooledByteBuffer;
import org.junit.jupiter.api.Test;

class ThreadLocalBufferPoolTest {

    private final ThreadLocalBufferPool pool = new ThreadLocalBufferPool(true, 1024, 2);

    @Test
    void aReleasedBufferIsHandedOutAgainClearedOnTheSameThread() {
        PooledByteBuffer first = pool.allocate();
        first.getBuffer().put((byte) 1).flip();
        var bytes = first.getBuffer();
        first.close();
        PooledByteBuffer second = pool.allocate();
        assertThat(second.getBuffer()).isSameAs(bytes);
        assertThat(second.getBuffer().position()).isZero();
        assertThat(second.getBuffer().remaining()).isEqualTo(1024);
        assertThat(second.getBuffer().isDirect()).isTrue();
    }

    @Test
    void closingAStaleHandleAgainCannotReleaseTheBufferItsNewOwnerHolds() {
        PooledByteBuffer stale = pool.allocate();
        stale.close();
        PooledByteBuffer owner = pool.allocate();
        stale.close();
        assertThat(stale.isOpen()).isFalse();
        assertThatThrownBy(stale::getBuffer).isInstanceOf(IllegalStateException.class);
        PooledByteBuffer other = pool.allocate();
        assertThat(other.getBuffer()).as("the owner's buffer was not put back by the stale close").isNotSameAs(owner.getBuffer());
        assertThat(owner.isOpen()).isTrue();
    }

    @Test
    void theCacheIsBoundedAndTheArrayBackedPoolUsesHeapBuffers() {
        PooledByteBuffer a = pool.allocate();
        PooledByteBuffer b = pool.allocate();
        PooledByteBuffer c = pool.allocate();
        a.close();
        b.close();
        c.close();
        // only two are kept: the third allocation after these gets a new buffer
        var kept1 = pool.allocate().getBuffer();
        var kept2 = pool.allocate().getBuffer();
        var fresh = pool.allocate().getBuffer();
        assertThat(fresh).isNotSameAs(kept1).isNotSameAs(kept2);
        assertThat(pool.getArrayBackedPool().allocate().getBuffer().hasArray()).isTrue();
        assertThat(pool.getArrayBackedPool().isDirect()).isFalse();
    }
}
