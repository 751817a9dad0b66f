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

    /** Sets what runs when a read may make progress ({@code null} to stop listening). */
    void setReadListener(Runnable listener);

    void resumeReads();

    void suspendReads();
}
