package dev.switchboard.router.upstream;

import dev.switchboard.router.server.QuietReadReady;
import io.undertow.util.PooledAdaptor;
import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.util.HeaderMap;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.PushBackStreamSourceConduit;

/**
 * One keep-alive HTTP/1.1 connection to a backend, spoken directly over the socket: the request head
 * is written from the client's request without an intermediate header map, and the response head is
 * parsed from the connection's read buffer straight into the client's response headers. Confined
 * to the IO thread that opened it.
 *
 * <p>Reads stay enabled for the connection's whole life. While no exchange reads (idle in the pool,
 * or between a response's end and its release) any readable event means the backend closed the
 * connection or sent bytes nobody asked for, and the connection is closed at once, so the pool
 * never hands out a connection it could have known was dead.
 */
public final class UpstreamConnection {

    /** The outcome of waiting for a response head. Exactly one method is called. */
    public interface ResponseListener {
        void head(ResponseHead head);

        void failed(IOException e);
    }

    private final StreamConnection channel;
    private final ConduitStreamSourceChannel in;
    private final ConduitStreamSinkChannel out;
    private final ByteBufferPool buffers;
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private PooledByteBuffer pooled;
    /** Unread response bytes, between position and limit (read mode); null while none are held. */
    private ByteBuffer buffer;
    private long bytesRead;
    private long idleSinceNanos;
    private Runnable readListener;
    private Runnable writeListener;
    private Consumer<UpstreamConnection> closeListener;
    private boolean closed;
    private boolean detached;
    private boolean reusable;

    public UpstreamConnection(StreamConnection channel, ByteBufferPool buffers) {
        this.channel = channel;
        this.in = channel.getSourceChannel();
        this.out = channel.getSinkChannel();
        this.buffers = buffers;
        in.getReadSetter().set(ch -> onReadable());
        QuietReadReady.install(in);
        out.getWriteSetter().set(ch -> onWritable());
        in.resumeReads();
    }

    public XnioIoThread ioThread() {
        return channel.getIoThread();
    }

    public boolean isOpen() {
        return !closed && channel.isOpen();
    }

    /** Bytes read from the backend so far: more than before a request means the backend answered. */
    public long bytesRead() {
        return bytesRead;
    }

    /** Whether the last response ended cleanly with the connection fit for another request. */
    public boolean reusable() {
        return reusable && isOpen();
    }

    public void setCloseListener(Consumer<UpstreamConnection> listener) {
        this.closeListener = listener;
    }

    /**
     * Writes {@code head} and then {@code body} (may be null), finishing asynchronously if the socket
     * is full. {@code head} may wrap a per-thread array: what is not written at once is copied.
     */
    public void send(ByteBuffer head, ByteBuffer body, Runnable sent, Consumer<IOException> failed) {
        reusable = false;
        try {
            gather[0] = head;
            gather[1] = body == null ? EMPTY : body;
            while (head.hasRemaining() || gather[1].hasRemaining()) {
                // Without a body, a plain write: the JDK's gathering path costs more than the call itself.
                if ((body == null ? out.write(head) : out.write(gather, 0, 2)) == 0) {
                    if (head.hasRemaining()) {
                        gather[0] = ByteBuffer.allocate(head.remaining()).put(head).flip();
                    }
                    writeListener = () -> continueSend(sent, failed);
                    out.resumeWrites();
                    return;
                }
            }
        } catch (IOException e) {
            failed.accept(e);
            return;
        }
        clearGather();
        sent.run();
    }

    private void continueSend(Runnable sent, Consumer<IOException> failed) {
        try {
            while (gather[0].hasRemaining() || gather[1].hasRemaining()) {
                if (out.write(gather, 0, 2) == 0) {
                    return;
                }
            }
        } catch (IOException e) {
            stopWriting();
            failed.accept(e);
            return;
        }
        stopWriting();
        clearGather();
        sent.run();
    }

    private void clearGather() {
        gather[0] = null;
        gather[1] = null;
    }

    /** A sink for the request body after the head: chunked, or raw when the head gave a length. */
    public ByteSink requestBody(boolean chunked) {
        return new RequestBodySink(this, chunked);
    }

    /** Starts reading the response head; its headers go into {@code headers}. */
    public void awaitResponse(HeaderMap headers, boolean headRequest, boolean upgradeRequested, ResponseListener listener) {
        readListener = () -> readHead(headers, headRequest, upgradeRequested, listener);
        in.resumeReads();
    }

    private void readHead(HeaderMap headers, boolean headRequest, boolean upgrade, ResponseListener listener) {
        ResponseHead head;
        try {
            for (;;) {
                ByteBuffer b = buffer();
                head = b.hasRemaining() ? ResponseHead.parse(b, headers, headRequest, upgrade) : null;
                if (head != null) {
                    break;
                }
                int n = fill();
                if (n == 0) {
                    return;
                }
                if (n < 0) {
                    throw new EOFException(bytesRead == 0 ? "backend closed the connection without a response"
                            : "backend closed the connection before a complete response head");
                }
            }
        } catch (IOException e) {
            readListener = null;
            listener.failed(e);
            return;
        }
        readListener = null;
        listener.head(head);
    }

    /** The body that follows {@code head}, decoded from its framing. */
    public ByteSource responseBody(ResponseHead head) {
        return new ResponseBody(this, head);
    }

    /**
     * Hands the socket over after a {@code 101}: bytes the backend sent after its head are pushed
     * back to be read first. The connection no longer belongs to this object (nor to its pool).
     */
    public StreamConnection upgrade() {
        detached = true;
        readListener = null;
        writeListener = null;
        in.getReadSetter().set(null);
        out.getWriteSetter().set(null);
        in.suspendReads();
        if (buffer != null && buffer.hasRemaining()) {
            PushBackStreamSourceConduit pushBack = new PushBackStreamSourceConduit(in.getConduit());
            pushBack.pushBack(new PooledAdaptor(pooled));
            in.setConduit(pushBack);
            pooled = null;
            buffer = null;
        } else {
            releaseBuffer();
        }
        return channel;
    }

    /** The pool took the connection back: drop an empty buffer and watch for the backend closing. */
    public void idle(long nowNanos) {
        idleSinceNanos = nowNanos;
        readListener = null;
        writeListener = null;
        if (buffer != null && !buffer.hasRemaining()) {
            releaseBuffer();
        }
        out.suspendWrites();
        in.resumeReads();
    }

    /** Closes the socket (at once, no lingering drain) and tells the pool. Idempotent. */
    public void close() {
        if (closed || detached) {
            return;
        }
        closed = true;
        readListener = null;
        writeListener = null;
        releaseBuffer();
        IoUtils.safeClose(channel);
        Consumer<UpstreamConnection> l = closeListener;
        if (l != null) {
            l.accept(this);
        }
    }

    // ---- for the body codecs ----

    /** The read buffer, allocated on demand, in read mode. */
    ByteBuffer buffer() {
        if (buffer == null) {
            pooled = buffers.allocate();
            buffer = pooled.getBuffer();
            buffer.clear().flip();
        }
        return buffer;
    }

    /** Whether {@code b} is still this open connection's read buffer (never allocates one). */
    boolean holds(ByteBuffer b) {
        return b != null && b == buffer && !closed;
    }

    boolean hasBuffered() {
        return buffer != null && buffer.hasRemaining();
    }

    /** Reads more bytes from the socket behind those already buffered: bytes read, 0, or -1. */
    int fill() throws IOException {
        ByteBuffer b = buffer();
        b.compact();
        int n;
        try {
            n = in.read(b);
        } finally {
            b.flip();
        }
        if (n > 0) {
            bytesRead += n;
        }
        return n;
    }

    /** Reads from the socket straight into {@code dst} (nothing may be buffered). */
    int readDirect(ByteBuffer dst) throws IOException {
        int n = in.read(dst);
        if (n > 0) {
            bytesRead += n;
        }
        return n;
    }

    /** The response body was read to its end. */
    void bodyEnded(boolean keepAlive) {
        // Bytes after the body were never asked for: the connection cannot be trusted again.
        reusable = keepAlive && !hasBuffered();
        readListener = null;
    }

    void setReadListener(Runnable listener) {
        readListener = listener;
    }

    void resumeReads() {
        in.resumeReads();
    }

    void suspendReads() {
        in.suspendReads();
    }

    int write(ByteBuffer src) throws IOException {
        return out.write(src);
    }

    long write(ByteBuffer[] srcs) throws IOException {
        return out.write(srcs, 0, srcs.length);
    }

    void setWriteListener(Runnable listener) {
        writeListener = listener;
    }

    void resumeWrites() {
        out.resumeWrites();
    }

    void suspendWrites() {
        out.suspendWrites();
    }

    private void stopWriting() {
        writeListener = null;
        out.suspendWrites();
    }

    private void onReadable() {
        Runnable r = readListener;
        if (r != null) {
            r.run();
        } else {
            watchIdle();
        }
    }

    private void onWritable() {
        Runnable w = writeListener;
        if (w != null) {
            w.run();
        } else {
            out.suspendWrites();
        }
    }

    /** When the connection went idle last ({@link #idle}), as a {@code System.nanoTime()} reading. */
    public long idleSinceNanos() {
        return idleSinceNanos;
    }

    /** Nobody is reading: anything readable (bytes, end of stream, an error) ends the connection. */
    private void watchIdle() {
        try {
            if (in.read(ByteBuffer.allocate(1)) == 0) {
                return;
            }
        } catch (IOException e) {
            // a reset: closed below
        }
        close();
    }

    private void releaseBuffer() {
        if (pooled != null) {
            pooled.close();
            pooled = null;
            buffer = null;
        }
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    @Override
    public String toString() {
        return "upstream " + channel.getPeerAddress();
    }
}
