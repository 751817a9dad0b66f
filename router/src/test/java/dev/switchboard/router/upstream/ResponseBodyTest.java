package dev.switchboard.router.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.CountingBufferPool;
import io.undertow.util.HeaderMap;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnio.ChannelPipe;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.Channels;

/** A body's bytes lent from the connection's own buffer, over a real XNIO pipe, with every pooled buffer counted. */
class ResponseBodyTest {

    private final XnioWorker worker;
    private final StreamConnection backendSide;
    private final StreamConnection proxySide;
    private final CountingBufferPool pool = new CountingBufferPool(4096, true);

    ResponseBodyTest() throws Exception {
        worker = Xnio.getInstance(ResponseBodyTest.class.getClassLoader()).createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
        ChannelPipe<StreamConnection, StreamConnection> pipe = worker.createFullDuplexPipeConnection();
        proxySide = pipe.getLeftSide();
        backendSide = pipe.getRightSide();
    }

    @AfterEach
    void close() throws Exception {
        backendSide.close();
        proxySide.close();
        worker.shutdownNow();
    }

    /** Sends {@code response} from the backend, then runs {@code step} on the IO thread with the parsed head's connection and body. */
    private <T> T afterHead(String response, Function<Parsed, T> step) throws Exception {
        Channels.writeBlocking(backendSide.getSinkChannel(), ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1)));
        Channels.flushBlocking(backendSide.getSinkChannel());
        CompletableFuture<T> result = new CompletableFuture<>();
        proxySide.getIoThread().execute(() -> {
            try {
                UpstreamConnection conn = new UpstreamConnection(proxySide, pool);
                ResponseHead head = null;
                while (head == null) {
                    assertThat(conn.fill()).isPositive();
                    head = ResponseHead.parse(conn.buffer(), new HeaderMap(), false, false);
                }
                result.complete(step.apply(new Parsed(conn, conn.responseBody(head))));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    private record Parsed(UpstreamConnection conn, ByteSource body) {
    }

    private static String text(ByteBuffer b, int n) {
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aLengthBodyIsLentUpToItsEndAndBytesAfterItMakeTheConnectionUnfitForReuse() throws Exception {
        String out = afterHead("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA", p -> {
            ByteBuffer held = p.body().held();
            String lent = text(held, held.remaining());
            p.body().consumed(5);
            return lent + " ended=" + p.body().ended() + " reusable=" + p.conn().reusable() + " rest=" + p.conn().buffer().remaining();
        });
        assertThat(out).isEqualTo("hello ended=true reusable=false rest=5");
    }

    @Test
    void aPartlyTakenViewLeavesTheRestHeldAndAChunkEndsAtItsSize() throws Exception {
        String out = afterHead("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n0\r\n\r\n", p -> {
            ByteBuffer dst = ByteBuffer.allocate(3);
            try {
                assertThat(p.body().held()).as("chunk framing is read before data is lent").isNull();
                assertThat(p.body().read(dst)).isEqualTo(3); // the size line, then "abc"
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            ByteBuffer held = p.body().held();
            String first = text(held, 2);
            p.body().consumed(2);
            ByteBuffer again = p.body().held();
            String second = text(again, again.remaining());
            p.body().consumed(1);
            return new String(dst.array(), StandardCharsets.ISO_8859_1) + "|" + first + "|" + second + "|" + (p.body().held() == null);
        });
        assertThat(out).isEqualTo("abc|de|f|true");
    }

    @Test
    void aConnectionClosedWhileItsBytesWereLentTakesNoNewBuffer() throws Exception {
        // A client reset during the write ends the exchange synchronously, and with it this connection.
        int leftOver = afterHead("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", p -> {
            ByteBuffer held = p.body().held();
            assertThat(held.remaining()).isEqualTo(5);
            p.conn().close();
            p.body().consumed(0);
            return pool.outstanding();
        });
        assertThat(leftOver).isZero();
    }
}
