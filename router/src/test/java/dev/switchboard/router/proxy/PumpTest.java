package dev.switchboard.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.CountingBufferPool;
import dev.switchboard.router.upstream.ByteSink;
import dev.switchboard.router.upstream.ByteSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** The pump with in-memory ends: held bytes go out uncopied and first, in order, through a sink that fills up. */
class PumpTest {

    private final CountingBufferPool pool = new CountingBufferPool(16, false);
    private final Source source = new Source();
    private final Sink sink = new Sink();
    private final StringBuilder events = new StringBuilder();
    private final Pump pump = new Pump(source, sink, pool, new Pump.Listener() {
        @Override
        public void done(Pump p) {
            events.append("done");
        }

        @Override
        public void failed(Pump p, IOException e, boolean readSide) {
            events.append("failed ").append(readSide ? "read " : "write ").append(e.getMessage());
        }
    }, 0);

    @Test
    void aBodyHeldWholeGoesOutWithoutABufferOfThePumpsOwn() {
        source.hold("hello").endAfterHeld = true;
        pump.start();
        assertThat(sink.text()).isEqualTo("hello");
        assertThat(events).hasToString("done");
        assertThat(pool.allocated()).isZero();
        assertThat(sink.finished).isTrue();
    }

    @Test
    void heldBytesGoBeforeThoseStillToBeReadAndTheOrderSurvivesAFullSink() {
        source.hold("abcdef").reads.add("ghijklmnopqrstuvwxyz-0123456789");
        source.eofAfterReads = true;
        sink.room = 4;
        pump.start();
        assertThat(sink.text()).isEqualTo("abcd");
        assertThat(pump.waitingOnSink()).isTrue();
        assertThat(sink.writesResumed).isTrue();
        for (int i = 0; i < 100 && !pump.isFinished(); i++) {
            sink.room = 5;
            sink.listener.run();
        }
        assertThat(sink.text()).isEqualTo("abcdefghijklmnopqrstuvwxyz-0123456789");
        assertThat(events).hasToString("done");
        assertThat(source.heldOpen).isFalse();
    }

    @Test
    void aSinkThatFailsWhileWritingHeldBytesReleasesTheView() {
        source.hold("abc");
        sink.failWith = new IOException("client went away");
        pump.start();
        assertThat(events).hasToString("failed write client went away");
        assertThat(source.heldOpen).isFalse();
        assertThat(pump.isFinished()).isTrue();
    }

    /** Holds some bytes, then serves reads from a queue, then ends. */
    private static final class Source implements ByteSource {
        private ByteBuffer holding = ByteBuffer.allocate(0);
        final Deque<String> reads = new ArrayDeque<>();
        boolean endAfterHeld;
        boolean eofAfterReads;
        boolean heldOpen;
        private int heldAt;

        Source hold(String text) {
            holding = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        @Override
        public ByteBuffer held() {
            assertThat(heldOpen).as("held() again before consumed()").isFalse();
            if (!holding.hasRemaining()) {
                return null;
            }
            heldOpen = true;
            heldAt = holding.position();
            return holding;
        }

        @Override
        public void consumed(int n) {
            assertThat(heldOpen).isTrue();
            assertThat(holding.position() - heldAt).isEqualTo(n);
            heldOpen = false;
        }

        @Override
        public boolean ended() {
            return endAfterHeld && !holding.hasRemaining();
        }

        @Override
        public int read(ByteBuffer dst) {
            assertThat(holding.hasRemaining()).as("read while bytes are held").isFalse();
            if (ended()) {
                return -1;
            }
            String next = reads.peek();
            if (next == null) {
                return eofAfterReads ? -1 : 0;
            }
            int n = Math.min(dst.remaining(), next.length());
            dst.put(next.substring(0, n).getBytes(StandardCharsets.ISO_8859_1));
            reads.poll();
            if (n < next.length()) {
                reads.push(next.substring(n));
            }
            return n;
        }

        @Override
        public void setReadListener(Runnable listener) {
        }

        @Override
        public void resumeReads() {
        }

        @Override
        public void suspendReads() {
        }
    }

    /** Takes at most {@code room} bytes until given more. */
    private static final class Sink implements ByteSink {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int room = Integer.MAX_VALUE;
        IOException failWith;
        boolean finished;
        boolean writesResumed;
        Runnable listener;

        String text() {
            return out.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (failWith != null) {
                throw failWith;
            }
            int n = Math.min(room, src.remaining());
            byte[] b = new byte[n];
            src.get(b);
            out.write(b, 0, n);
            room -= n;
            return n;
        }

        @Override
        public boolean finish() {
            finished = true;
            return true;
        }

        @Override
        public void setWriteListener(Runnable listener) {
            if (listener != null) {
                this.listener = listener;
            }
        }

        @Override
        public void resumeWrites() {
            writesResumed = true;
        }

        @Override
        public void suspendWrites() {
            writesResumed = false;
        }
    }
}
