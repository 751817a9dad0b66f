package dev.switchboard.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnio.ChannelPipe;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.Channels;
import org.xnio.conduits.ConduitStreamSourceChannel;

/** Readiness reaches the read listener as with XNIO's own handler, on the IO thread, and survives a throwing listener. */
class QuietReadReadyTest {

    private final XnioWorker worker;
    private final StreamConnection reader;
    private final StreamConnection writer;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    QuietReadReadyTest() throws Exception {
        worker = Xnio.getInstance(QuietReadReadyTest.class.getClassLoader())
                .createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
        ChannelPipe<StreamConnection, StreamConnection> pipe = worker.createFullDuplexPipeConnection();
        reader = pipe.getLeftSide();
        writer = pipe.getRightSide();
        QuietReadReady.install(reader.getSourceChannel());
    }

    @AfterEach
    void close() throws Exception {
        reader.close();
        writer.close();
        worker.shutdownNow();
    }

    private void send(String text) throws Exception {
        Channels.writeBlocking(writer.getSinkChannel(), ByteBuffer.wrap(text.getBytes()));
        Channels.flushBlocking(writer.getSinkChannel());
    }

    private static String drain(ConduitStreamSourceChannel in) throws java.io.IOException {
        ByteBuffer b = ByteBuffer.allocate(64);
        int n = in.read(b);
        return n <= 0 ? "" : new String(b.array(), 0, b.position());
    }

    /** Records each readiness event as "on IO thread:bytes read"; throws after recording {@code failOn}. */
    private void record(String failOn) {
        ConduitStreamSourceChannel in = reader.getSourceChannel();
        in.getReadSetter().set(ch -> {
            String text;
            try {
                text = drain(ch);
            } catch (java.io.IOException e) {
                events.add("error " + e);
                return;
            }
            events.add(Thread.currentThread().getName().contains("I/O") + ":" + text);
            if (text.equals(failOn)) {
                throw new IllegalStateException("listener failed on purpose");
            }
        });
        in.resumeReads();
    }

    @Test
    void theReadListenerHearsOfReadableBytesOnTheIoThread() throws Exception {
        record(null);
        send("one");
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("true:one");
        send("two");
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("true:two");
    }

    @Test
    void aListenerThatThrowsIsLoggedAndTheNextEventStillArrives() throws Exception {
        record("boom");
        send("boom");
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("true:boom");
        send("after");
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("true:after");
    }

    @Test
    void withoutAListenerReadsAreSuspended() throws Exception {
        ConduitStreamSourceChannel in = reader.getSourceChannel();
        in.resumeReads();
        send("x");
        // The handler suspends reads on the IO thread when the event arrives: ask that thread until it has.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean resumed = true;
        while (resumed && System.nanoTime() < deadline) {
            BlockingQueue<Boolean> answer = new LinkedBlockingQueue<>();
            in.getIoThread().execute(() -> answer.add(in.isReadResumed()));
            resumed = answer.poll(10, TimeUnit.SECONDS);
        }
        assertThat(resumed).isFalse();
    }
}
