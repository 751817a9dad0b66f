package dev.switchboard.router.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where a body's bytes go, without blocking: a client's response or a backend's request. One IO thread. */
public interface ByteSink {

    /** Writes from {@code src}: the bytes taken, 0 when the sink is full. */
    int write(ByteBuffer src) throws IOException;

    /**
     * Ends the body and flushes it. Returns {@code true} once everything is out; {@code false} means
     * call again when writable. Calling it again after {@code true} does nothing.
     */
    boolean finish() throws IOException;

    /** Sets what runs when a write may make progress ({@code null} to stop listening). */
    void setWriteListener(Runnable listener);

    void resumeWrites();

    void suspendWrites();
}
