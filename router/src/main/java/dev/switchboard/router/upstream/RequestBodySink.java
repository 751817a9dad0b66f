package dev.switchboard.router.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A streamed request body on its way to a backend: passed through as it is when the head carries
 * a {@code Content-Length}, otherwise chunked (RFC 9112 §7.1), each write becoming one chunk whose
 * size line and the previous chunk's CRLF go out in the same gathering write as its data.
 */
final class RequestBodySink implements ByteSink {

    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final UpstreamConnection conn;
    private final boolean chunked;
    /** Framing bytes not yet written: a CRLF ending the previous chunk and/or the next size line. */
    private final ByteBuffer framing = ByteBuffer.allocate(32).flip();
    private final ByteBuffer[] gather = new ByteBuffer[2];
    /** Data bytes of the current chunk still to write. */
    private int chunkLeft;
    private boolean chunkOpen;
    private boolean finishing;
    private boolean finished;

    RequestBodySink(UpstreamConnection conn, boolean chunked) {
        this.conn = conn;
        this.chunked = chunked;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!chunked) {
            return conn.write(src);
        }
        if (chunkLeft == 0) {
            if (framing.hasRemaining() && !flushFraming()) {
                return 0;
            }
            if (!src.hasRemaining()) {
                return 0;
            }
            chunkLeft = src.remaining();
            framing.clear();
            if (chunkOpen) {
                framing.put((byte) '\r').put((byte) '\n');
            }
            framing.put(Integer.toHexString(chunkLeft).getBytes(StandardCharsets.US_ASCII)).put((byte) '\r').put((byte) '\n');
            framing.flip();
            chunkOpen = true;
        }
        int start = src.position();
        int oldLimit = src.limit();
        src.limit(start + Math.min(chunkLeft, src.remaining()));
        try {
            gather[0] = framing;
            gather[1] = src;
            conn.write(gather);
        } finally {
            src.limit(oldLimit);
            gather[1] = null;
        }
        int written = src.position() - start;
        chunkLeft -= written;
        return written;
    }

    /** Writes pending framing bytes: whether all went out. */
    private boolean flushFraming() throws IOException {
        while (framing.hasRemaining()) {
            if (conn.write(framing) == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean finish() throws IOException {
        if (finished || !chunked) {
            finished = true;
            return true;
        }
        if (!finishing) {
            if (chunkLeft > 0) {
                throw new IOException("request body ended inside a chunk");
            }
            if (!flushFraming()) {
                return false;
            }
            finishing = true;
            framing.clear();
            if (chunkOpen) {
                framing.put((byte) '\r').put((byte) '\n');
            }
            framing.put(LAST_CHUNK).flip();
        }
        if (!flushFraming()) {
            return false;
        }
        finished = true;
        return true;
    }

    @Override
    public void setWriteListener(Runnable listener) {
        conn.setWriteListener(listener);
    }

    @Override
    public void resumeWrites() {
        conn.resumeWrites();
    }

    @Override
    public void suspendWrites() {
        conn.suspendWrites();
    }
}
