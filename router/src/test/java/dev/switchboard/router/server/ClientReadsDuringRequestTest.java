package dev.switchboard.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.RawHttp;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client connection's reads stay armed while a body-less request is proxied (no epoll
 * re-registration per request). Whatever the client sends meanwhile — a pipelined request, its
 * end of stream — must neither be lost nor make the IO thread spin on a readiness nobody consumes.
 */
class ClientReadsDuringRequestTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private TestBackend backend;
    private RouterFixture router;
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        backend = TestBackend.start("b");
        var held = TestBackend.blocked("held", arrived, release);
        backend.behave(ex -> {
            if (ex.getRequestPath().equals("/hold")) {
                held.handleRequest(ex);
            } else {
                ex.getResponseSender().send("then " + ex.getRequestPath());
            }
        });
        router = RouterFixture.routingAllTo(backend);
    }

    @AfterEach
    void stop() {
        release.countDown();
        router.close();
        backend.close();
    }

    @Test
    void pipelinedRequestAndEndOfStreamDuringARequestAreServedInOrderWithoutSpinning() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            http.send("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
            // Arrives while /hold is in flight: readable, and then at end of stream, for as long as it waits.
            http.send("GET /second HTTP/1.1\r\nHost: a\r\n\r\n").finishSending();
            assertNoSpinWhileHeld();
            release.countDown();
            assertThat(http.read().body()).isEqualTo("held released\n");
            assertThat(http.read().body()).isEqualTo("then /second");
            assertThat(http.closedByPeer()).isTrue();
        }
    }

    @Test
    void requestsPipelinedInOneWriteAreServedInOrderWithoutSpinning() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            // Undertow reads both at once and keeps the second buffered while the first runs.
            http.send("GET /hold HTTP/1.1\r\nHost: a\r\n\r\nGET /second HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
            http.send("GET /third HTTP/1.1\r\nHost: a\r\n\r\n");
            assertNoSpinWhileHeld();
            release.countDown();
            assertThat(http.read().body()).isEqualTo("held released\n");
            assertThat(http.read().body()).isEqualTo("then /second");
            assertThat(http.read().body()).isEqualTo("then /third");
        }
    }

    /**
     * Over a 300 ms window (a measurement, not a wait for anything) the router's IO threads use a
     * fraction of one core's time: a read readiness that nobody consumes would keep one at 100 %.
     */
    private static void assertNoSpinWhileHeld() throws InterruptedException {
        long before = ioThreadCpuNanos();
        long wallStart = System.nanoTime();
        Thread.sleep(300);
        long wall = System.nanoTime() - wallStart;
        long cpu = ioThreadCpuNanos() - before;
        assertThat(cpu).as("IO thread CPU over %d ms", wall / 1_000_000).isLessThan(wall / 3);
    }

    private static long ioThreadCpuNanos() {
        long sum = 0;
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("switchboard I/O")) {
                sum += Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }
}
