package dev.switchboard.router.upstream;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A response body as it arrives, decoded from its framing (RFC 9112 §6): none, a
 * {@code Content-Length}, chunked (extensions and trailers are read and dropped), or until the
 * backend closes. Bytes already buffered behind the head come first; a length-delimited body
 * otherwise reads straight into the caller's buffer. A backend that closes early makes
 * {@link #read} fail, so the client sees an aborted response and never a short one passed off as
 * complete.
 */
final class ResponseBody implements ByteSource {

    private static final int SIZE = 0;
    private static final int EXTENSION = 1;
    private static final int DATA = 2;
    private static final int DATA_END = 3;
    private static final int TRAILER_LINE_START = 4;
    private static final int TRAILER_LINE = 5;
    private static final int DONE = 6;
    /** Chunk sizes above this are refused rather than risk overflow (1 TiB). */
    private static final long MAX_CHUNK = 1L << 40;

    private final UpstreamConnection conn;
    private final ResponseHead.Framing framing;
    private final boolean keepAlive;
    private long remaining;
    private int state;
    private int sizeDigits;
    private boolean sawCr;
    /** The connection's buffer lent by {@link #held}, and its limit before the view narrowed it. */
    private ByteBuffer heldView;
    private int heldLimit;

    ResponseBody(UpstreamConnection conn, ResponseHead head) {
        this.conn = conn;
        this.framing = head.framing();
        this.keepAlive = head.keepAlive();
        this.remaining = framing == ResponseHead.Framing.LENGTH ? head.contentLength() : 0;
        this.state = framing == ResponseHead.Framing.NONE ? DONE : SIZE;
        if (state == DONE) {
            conn.bodyEnded(keepAlive);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (state == DONE) {
            return -1;
        }
        return switch (framing) {
            case LENGTH -> readLength(dst);
            case CHUNKED -> readChunked(dst);
            default -> readUntilClose(dst);
        };
    }

    private int readLength(ByteBuffer dst) throws IOException {
        int n = readLimited(dst, remaining);
        if (n < 0) {
            throw new EOFException("backend closed the connection with " + remaining + " body bytes missing");
        }
        took(n);
        return n;
    }

    private int readUntilClose(ByteBuffer dst) throws IOException {
        int n = readLimited(dst, Long.MAX_VALUE);
        if (n < 0) {
            state = DONE;
            conn.bodyEnded(false);
        }
        return n;
    }

    /** Up to {@code limit} bytes into {@code dst}: buffered ones first, else from the socket. */
    private int readLimited(ByteBuffer dst, long limit) throws IOException {
        int room = (int) Math.min(dst.remaining(), limit);
        if (conn.hasBuffered()) {
            return moveBuffered(dst, room);
        }
        int oldLimit = dst.limit();
        dst.limit(dst.position() + room);
        try {
            return conn.readDirect(dst);
        } finally {
            dst.limit(oldLimit);
        }
    }

    /**
     * {@code n} body bytes were passed on: a length's rest or a chunk's data shrinks, and the body or
     * the chunk ends when it reaches 0 (a body until close has no count).
     */
    private void took(int n) {
        if (framing == ResponseHead.Framing.UNTIL_CLOSE) {
            return;
        }
        remaining -= n;
        if (remaining == 0) {
            if (framing == ResponseHead.Framing.CHUNKED) {
                state = DATA_END;
            } else {
                end();
            }
        }
    }

    /** How many body bytes may be lent now: a length's rest, all until close, a chunk's data; else 0. */
    private long lendable() {
        if (state == DONE) {
            return 0;
        }
        return switch (framing) {
            case CHUNKED -> state == DATA ? remaining : 0;
            case LENGTH -> remaining;
            default -> Long.MAX_VALUE;
        };
    }

    @Override
    public ByteBuffer held() {
        long max = lendable();
        if (max == 0 || !conn.hasBuffered()) {
            return null;
        }
        ByteBuffer b = conn.buffer();
        heldView = b;
        heldLimit = b.limit();
        b.limit(b.position() + (int) Math.min(max, b.remaining()));
        return b;
    }

    @Override
    public void consumed(int n) {
        ByteBuffer b = heldView;
        heldView = null;
        if (!conn.holds(b)) {
            // Closed under the write: a client reset ends the exchange, and releases this connection
            // and its buffer, before the failed write returns. Nothing is held any more.
            return;
        }
        b.limit(heldLimit);
        took(n);
    }

    @Override
    public boolean ended() {
        return state == DONE;
    }

    private int moveBuffered(ByteBuffer dst, int max) {
        ByteBuffer b = conn.buffer();
        int n = Math.min(max, b.remaining());
        int oldLimit = b.limit();
        b.limit(b.position() + n);
        dst.put(b);
        b.limit(oldLimit);
        return n;
    }

    private int readChunked(ByteBuffer dst) throws IOException {
        int produced = 0;
        while (state != DONE && dst.hasRemaining()) {
            if (state == DATA && !conn.hasBuffered() && produced == 0) {
                int n = readLimited(dst, remaining);
                if (n < 0) {
                    throw new EOFException("backend closed the connection inside a chunk");
                }
                took(n);
                return n;
            }
            if (!conn.hasBuffered()) {
                int n = conn.fill();
                if (n == 0) {
                    return produced;
                }
                if (n < 0) {
                    throw new EOFException("backend closed the connection before the last chunk");
                }
            }
            if (state == DATA) {
                int n = moveBuffered(dst, (int) Math.min(dst.remaining(), remaining));
                produced += n;
                took(n);
            } else {
                framingBytes(conn.buffer());
            }
        }
        return state == DONE && produced == 0 ? -1 : produced;
    }

    /** Consumes chunk-size lines, chunk ends and trailers from {@code b} until data or the end. */
    private void framingBytes(ByteBuffer b) throws InvalidResponseException {
        while (b.hasRemaining() && state != DATA && state != DONE) {
            byte c = b.get();
            switch (state) {
                case SIZE -> {
                    int digit = sawCr ? -1 : Character.digit(c, 16);
                    if (digit >= 0) {
                        remaining = remaining * 16 + digit;
                        if (++sizeDigits > 11 || remaining > MAX_CHUNK) {
                            throw new InvalidResponseException("chunk size too large");
                        }
                    } else if (c == ';' || c == ' ' || c == '\t') {
                        state = EXTENSION;
                    } else if (c == '\r' && !sawCr) {
                        sawCr = true;
                    } else if (c == '\n') {
                        sizeLineEnded();
                    } else {
                        throw new InvalidResponseException("invalid chunk size");
                    }
                }
                case EXTENSION -> {
                    if (c == '\n') {
                        sizeLineEnded();
                    }
                }
                case DATA_END -> {
                    if (c == '\n') {
                        state = SIZE;
                        sawCr = false;
                    } else if (c != '\r' || sawCr) {
                        throw new InvalidResponseException("chunk not followed by CRLF");
                    } else {
                        sawCr = true;
                    }
                }
                case TRAILER_LINE_START -> {
                    if (c == '\n') {
                        end();
                    } else if (c != '\r') {
                        state = TRAILER_LINE;
                    }
                }
                case TRAILER_LINE -> {
                    if (c == '\n') {
                        state = TRAILER_LINE_START;
                    }
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
    }

    private void sizeLineEnded() throws InvalidResponseException {
        if (sizeDigits == 0) {
            throw new InvalidResponseException("chunk size missing");
        }
        sawCr = false;
        sizeDigits = 0;
        state = remaining == 0 ? TRAILER_LINE_START : DATA;
    }

    private void end() {
        state = DONE;
        conn.bodyEnded(keepAlive);
    }

    @Override
    public void setReadListener(Runnable listener) {
        conn.setReadListener(listener);
    }

    @Override
    public void resumeReads() {
        conn.resumeReads();
    }

    @Override
    public void suspendReads() {
        if (state != DONE) {
            conn.suspendReads();
        }
    }
}
