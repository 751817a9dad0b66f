package dev.switchboard.router.proxy;

import dev.switchboard.router.upstream.ByteSink;
import dev.switchboard.router.upstream.ByteSource;
import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Moves a body from a source to a sink with one pooled buffer, on the IO thread, without holding
 * more than one buffer of it. Bytes the source already holds in memory (a backend's body read in
 * with its head) are written from the source's buffer, and the pump's own buffer is only taken for
 * reads. Remembers when it last moved any bytes, so the owner can enforce an
 * idle timeout. When the source ends, the sink is finished and flushed inline (no extra wake-ups),
 * then {@link Listener#done} runs. The clock is read at most once per wake-up, and only when bytes
 * moved and the pump goes on: a body that fits one pass (most responses) costs no clock read.
 */
final class Pump {

    interface Listener {
        /**
         * The source reached its end (everything was read); called before the sink is finished, whose
         * completion may end the exchange synchronously.
         */
        default void sourceEnded(Pump pump) {
        }

        /** The source ended and everything was written and flushed to the sink. */
        void done(Pump pump);

        /** Reading ({@code readSide}) or writing failed; nothing more will happen. */
        void failed(Pump pump, IOException e, boolean readSide);
    }

    private final ByteSource source;
    private final ByteSink sink;
    private final ByteBufferPool pool;
    private final Listener listener;
    private PooledByteBuffer pooled;
    private boolean sourceDone;
    private boolean finished;
    /** The last pass stopped with bytes the sink would not take (in the pump's buffer or still held). */
    private boolean sinkFull;
    private long lastActivityNanos;

    /** {@code startNanos}: a recent clock reading ({@code System.nanoTime()}), the idle time's origin. */
    Pump(ByteSource source, ByteSink sink, ByteBufferPool pool, Listener listener, long startNanos) {
        this.lastActivityNanos = startNanos;
        this.source = source;
        this.sink = sink;
        this.pool = pool;
        this.listener = listener;
    }

    long lastActivityNanos() {
        return lastActivityNanos;
    }

    boolean isFinished() {
        return finished;
    }

    /**
     * Whether it is stuck on the sink: bytes read and not yet written, or the end not yet written.
     * When a pump goes idle this tells whose side stalled: the reader it relays to, not the source.
     */
    boolean waitingOnSink() {
        return !finished && (sourceDone || sinkFull);
    }

    void start() {
        Runnable run = this::run;
        source.setReadListener(run);
        sink.setWriteListener(run);
        run();
    }

    private void run() {
        if (finished) {
            return;
        }
        if (sourceDone) {
            finishSink();
            return;
        }
        if (pass() && !finished) {
            lastActivityNanos = System.nanoTime();
        }
    }

    /** Moves what it can until one side blocks or the source ends; whether any bytes moved. */
    private boolean pass() {
        boolean moved = false;
        sinkFull = false;
        try {
            for (;;) {
                // Bytes read into the pump's buffer go first; then those the source holds, written
                // from its own buffer without a copy; then reads into the pump's buffer.
                ByteBuffer buffer = pooled == null ? null : pooled.getBuffer();
                if (buffer != null && buffer.hasRemaining()) {
                    int written;
                    try {
                        written = sink.write(buffer);
                    } catch (IOException e) {
                        fail(e, false);
                        return moved;
                    }
                    moved |= written > 0;
                    if (buffer.hasRemaining()) {
                        blockedOnSink();
                        return moved;
                    }
                }
                ByteBuffer held = source.held();
                if (held != null) {
                    int length = held.remaining();
                    int written;
                    try {
                        written = sink.write(held);
                    } catch (IOException | RuntimeException e) {
                        source.consumed(0);
                        fail(e instanceof IOException io ? io : new IOException(e), false);
                        return moved;
                    }
                    source.consumed(written);
                    moved |= written > 0;
                    if (written < length) {
                        blockedOnSink();
                        return moved;
                    }
                    continue;
                }
                if (source.ended()) {
                    sourceEnded();
                    return moved;
                }
                if (buffer == null) {
                    pooled = pool.allocate();
                    buffer = pooled.getBuffer();
                }
                buffer.clear();
                int read;
                try {
                    read = source.read(buffer);
                } catch (IOException e) {
                    buffer.flip();
                    fail(e, true);
                    return moved;
                }
                buffer.flip();
                if (read < 0) {
                    sourceEnded();
                    return moved;
                }
                if (read == 0) {
                    sink.suspendWrites();
                    source.resumeReads();
                    // Idle between reads: give the buffer back rather than hold it.
                    release();
                    return moved;
                }
                moved = true;
            }
        } catch (RuntimeException e) {
            fail(new IOException(e), false);
            return moved;
        }
    }

    private void blockedOnSink() {
        sinkFull = true;
        source.suspendReads();
        sink.resumeWrites();
    }

    private void sourceEnded() {
        sourceDone = true;
        release();
        source.suspendReads();
        source.setReadListener(null);
        listener.sourceEnded(this);
        finishSink();
    }

    private void finishSink() {
        try {
            if (!sink.finish()) {
                sink.resumeWrites();
                return;
            }
        } catch (IOException e) {
            fail(e, false);
            return;
        }
        finished = true;
        sink.suspendWrites();
        sink.setWriteListener(null);
        listener.done(this);
    }

    private void fail(IOException e, boolean readSide) {
        finished = true;
        release();
        source.setReadListener(null);
        sink.setWriteListener(null);
        listener.failed(this, e, readSide);
    }

    /** Stops moving bytes (the owner is aborting); releases the buffer. */
    void abort() {
        if (!finished) {
            finished = true;
            release();
            source.suspendReads();
            sink.suspendWrites();
        }
    }

    private void release() {
        if (pooled != null) {
            pooled.close();
            pooled = null;
        }
    }
}
