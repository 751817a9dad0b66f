package dev.switchboard.router.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a body's bytes come from, without blocking: a client's request channel or a backend's
 * decoded response. All calls happen on one IO thread.
 */
public interface ByteSource {

    /** Reads into {@code dst}: the bytes read, 0 when none are there yet, -1 at the end of the body. */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Body bytes this source already holds in memory, to be written from its own buffer rather than
     * copied out first: a buffer with them between position and limit, or {@code null} when it holds
     * none. Each non-null result must be followed by {@link #consumed} before anything else is asked
     * of the source. Sources that hold nothing keep the default.
     */
    default ByteBuffer held() {
        return null;
    }

    /**
     * Ends a {@link #held} view: {@code n} bytes of it were taken (the view's position has moved by
     * {@code n}); the rest stays held.
     */
    default void consumed(int n) {
        throw new IllegalStateException("nothing is held");
    }

    /** Whether the body is known to have ended, without a read: then {@link #read} returns -1. */
    default boolean ended() {
        return false;
    }

    /** Sets what runs when a read may make progress ({@code null} to stop listening). */
    void setReadListener(Runnable listener);

    void resumeReads();

    void suspendReads();
}
