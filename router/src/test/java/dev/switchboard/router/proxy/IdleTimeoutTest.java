package dev.switchboard.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.router.testing.RawHttp;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The idle timeout cuts a stream that stops moving, in either direction; the router keeps serving. */
class IdleTimeoutTest {

    static TestBackend backend;
    static RouterFixture router;
    static final CountDownLatch release = new CountDownLatch(1);

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("stall");
        router = RouterFixture.start(config("300ms"));
    }

    /** One service on the stalling backend with the given idle timeout, no retries. */
    private static String config(String idle) {
        return """
                services:
                  s:
                    instances: [{address: "%s"}]
                    timeouts: {idle: %s, response: 10s}
                    retry: {max_attempts: 1}
                routes:
                  - {path: /, service: s}
                """.formatted(backend.address(), idle);
    }

    @AfterAll
    static void stop() {
        release.countDown();
        router.close();
        backend.close();
    }

    @Test
    void responseThatStallsMidBodyIsAborted() throws Exception {
        backend.behave(ex -> ex.dispatch(() -> {
            ex.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_LENGTH, 1000);
            ex.startBlocking();
            try {
                ex.getOutputStream().write(new byte[100]);
                ex.getOutputStream().flush();
                release.await(20, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // the router closed the connection
            }
        }));
        try (RawHttp http = new RawHttp(router.port())) {
            http.send("GET /stall HTTP/1.1\r\nHost: a\r\n\r\n");
            long start = System.nanoTime();
            // Headers and 100 of 1000 bytes arrive, then the connection is cut: never a fake success.
            RawHttp.Response r = http.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyBytes()).hasSize(100);
            assertThat(http.closedByPeer()).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        } finally {
            backend.behave(null);
        }
        assertThat(router.get("/after").body()).isEqualTo("stall GET /after\n");
    }

    @Test
    void streamedUploadThatStallsIsCutAs408AndNotCountedAgainstTheBackend() throws Exception {
        var s = router.switchboard().registry().membership("s").backends().get(0);
        long failuresBefore = s.health().snapshot(System.nanoTime()).outlierConsecutiveFailures();
        try (RawHttp http = new RawHttp(router.port())) {
            http.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            RawHttp.Response r = http.read();
            assertThat(r.status()).as("the client went quiet, not the backend").isEqualTo(408);
            assertThat(r.header("X-Switchboard-Error")).isEqualTo("request_timeout");
        }
        assertThat(s.health().snapshot(System.nanoTime()).outlierConsecutiveFailures()).isEqualTo(failuresBefore);
        assertThat(router.get("/after-stalled-upload").body()).isEqualTo("stall GET /after-stalled-upload\n");
    }

    @Test
    void aClientThatStopsReadingIsCutWithoutBlamingTheBackend() throws Exception {
        var s = router.switchboard().registry().membership("s").backends().get(0);
        long failuresBefore = s.health().snapshot(System.nanoTime()).outlierConsecutiveFailures();
        long selectionsBefore = s.selections();
        try (java.net.Socket client = new java.net.Socket()) {
            client.setReceiveBufferSize(4096);
            client.connect(new java.net.InetSocketAddress("127.0.0.1", router.port()));
            client.getOutputStream().write("GET /bytes/200000000 HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            // Never read: once the socket buffers fill, the router's writes stall until its idle timeout.
            // Selections only grow (in flight is 1 only until the cut): the attempt started, then ended.
            await().atMost(Duration.ofSeconds(10)).until(() -> s.selections() > selectionsBefore);
            await().atMost(Duration.ofSeconds(10)).until(() -> s.inFlight() == 0);
        }
        assertThat(s.health().snapshot(System.nanoTime()).outlierConsecutiveFailures()).isEqualTo(failuresBefore);
    }

    @Test
    void bufferedUploadThatStallsIsAnswered408AndClosed() throws Exception {
        int before = backend.requests("/buffered");
        try (RawHttp http = new RawHttp(router.port())) {
            // Within max_buffered_body, so the router reads the body itself before choosing a backend.
            http.send("POST /buffered HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nhalf of it");
            RawHttp.Response r = http.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("X-Switchboard-Error")).isEqualTo("request_timeout");
            assertThat(http.closedByPeer()).isTrue();
        }
        assertThat(backend.requests("/buffered")).isEqualTo(before);
        assertThat(router.get("/after-buffered").body()).isEqualTo("stall GET /after-buffered\n");
    }

    @Test
    void bufferedUploadThatKeepsMovingIsForwardedWhole() throws Exception {
        backend.behave(ex -> ex.getRequestReceiver().receiveFullString((e, body) -> e.getResponseSender().send("got " + body)));
        // Its own router with a 1 s idle timeout: 100 ms gaps leave a busy machine 10x to spare.
        try (RouterFixture patient = RouterFixture.start(config("1s"));
                RawHttp http = new RawHttp(patient.port())) {
            http.send("POST /steady HTTP/1.1\r\nHost: a\r\nContent-Length: 150\r\n\r\n");
            // 15 pieces 100 ms apart (pacing, not synchronization): 1.5 s in all, longer than the idle
            // timeout, never idle that long.
            StringBuilder sent = new StringBuilder();
            for (int i = 0; i < 15; i++) {
                Thread.sleep(100);
                String piece = (char) ('a' + i) + "123456789";
                http.send(piece);
                sent.append(piece);
            }
            RawHttp.Response r = http.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("got " + sent);
        } finally {
            backend.behave(null);
        }
    }
}
