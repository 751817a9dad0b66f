package dev.switchboard.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.RawHttp;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import io.undertow.util.Headers;
import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 semantics and the router's own error responses, end to end. */
class ProxySemanticsTest {

    static TestBackend backend;
    static TestBackend frozen;
    static int closedPort;
    static RouterFixture router;
    static final CountDownLatch release = new CountDownLatch(1);

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("s");
        frozen = TestBackend.start("frozen");
        frozen.behave(ex -> ex.dispatch(() -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.endExchange();
        }));
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        router = RouterFixture.start("""
                services:
                  web: {instances: [{address: "%s"}]}
                  slow:
                    instances: [{address: "%s"}]
                    timeouts: {response: 300ms}
                    retry: {max_attempts: 1}
                  gone:
                    instances: [{address: "127.0.0.1:%d"}]
                    retry: {max_attempts: 1}
                  empty: {}
                routes:
                  - {host: a, path: /, service: web}
                  - {path: /slow, service: slow}
                  - {path: /gone, service: gone}
                  - {path: /empty, service: empty}
                  - {host: only.example, path: /, service: web, methods: [GET]}
                """.formatted(backend.address(), frozen.address(), closedPort));
    }

    @AfterAll
    static void stop() {
        release.countDown();
        router.close();
        backend.close();
        frozen.close();
    }

    private static RawHttp.Response exchange(String request) throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            http.send(request);
            return http.read(request.startsWith("HEAD"));
        }
    }

    @Test
    void noRouteIs404WithReason() throws Exception {
        RawHttp.Response r = exchange("GET /x HTTP/1.1\r\nHost: unknown.example\r\n\r\n");
        assertThat(r.status()).isEqualTo(404);
        // A method condition that doesn't match and no other route for the host: 404 as well.
        assertThat(exchange("POST / HTTP/1.1\r\nHost: only.example\r\nContent-Length: 0\r\n\r\n").status()).isEqualTo(404);
        assertThat(r.header("X-Switchboard-Error")).isEqualTo("no_route");
        assertThat(r.body()).isEqualTo("no route matches this request\n");
    }

    @Test
    void refusedBackendIs502() throws Exception {
        RawHttp.Response r = exchange("GET /gone HTTP/1.1\r\nHost: other\r\n\r\n");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.header("X-Switchboard-Error")).isEqualTo("upstream_connect_failure");
        assertThat(r.body()).doesNotContain(String.valueOf(closedPort)).doesNotContain("Exception");
    }

    @Test
    void serviceWithoutBackendsIs503WithRetryAfter() throws Exception {
        RawHttp.Response r = exchange("GET /empty HTTP/1.1\r\nHost: other\r\n\r\n");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("X-Switchboard-Error")).isEqualTo("no_healthy_backend");
        assertThat(r.header("Retry-After")).isEqualTo("1");
    }

    @Test
    void backendThatDoesNotAnswerIs504() throws Exception {
        RawHttp.Response r = exchange("GET /slow HTTP/1.1\r\nHost: other\r\n\r\n");
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.header("X-Switchboard-Error")).isEqualTo("upstream_timeout");
    }

    @Test
    void headHasHeadersButNoBody() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            http.send("HEAD /bytes/1000 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response r = http.read(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Length")).isEqualTo("1000");
            // The same connection serves the next request: no stray body bytes were sent.
            http.send("GET /after-head HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(http.read().body()).isEqualTo("s GET /after-head\n");
        }
    }

    @Test
    void noContentAndNotModifiedHaveNoBody() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            http.send("GET /status/204 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(204);
            http.send("GET /status/304 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(304);
            http.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(http.read().body()).isEqualTo("s GET /next\n");
        }
    }

    @Test
    void expectContinueIsAnsweredThenTheBodyIsForwarded() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            http.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response interim = http.read();
            assertThat(interim.status()).isEqualTo(100);
            http.send("hello");
            RawHttp.Response r = http.read();
            assertThat(r.status()).as(r.statusLine() + " " + r.headers().stream().map(h -> h[0] + "=" + h[1]).toList()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("s received 5\n");
        }
    }

    @Test
    void chunkedRequestAndResponseBodies() throws Exception {
        backend.behave(ex -> ex.getRequestReceiver().receiveFullString((e, body) -> {
            e.getResponseHeaders().put(Headers.TRANSFER_ENCODING, "chunked");
            e.getResponseSender().send("echo:" + body);
        }));
        try (RawHttp http = new RawHttp(router.port())) {
            http.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            RawHttp.Response r = http.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
            assertThat(r.body()).isEqualTo("echo:hello world");
        } finally {
            backend.behave(null);
        }
    }

    @Test
    void statusAndQueryAreRelayed() throws Exception {
        RawHttp.Response r = exchange("GET /status/418 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(r.status()).isEqualTo(418);
        assertThat(r.header("X-Switchboard-Error")).isNull();
        assertThat(exchange("GET /q?a=1&b=%2F HTTP/1.1\r\nHost: a\r\n\r\n").body()).isEqualTo("s GET /q?a=1&b=%2F\n");
    }

    @Test
    void traversalIsRejected() throws Exception {
        RawHttp.Response r = exchange("GET /a/../../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("X-Switchboard-Error")).isEqualTo("bad_path");
        assertThat(exchange("GET /a/%2e%2e/%2E%2E/x HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(400);
        assertThat(exchange("GET /a%2Fb HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(400);
    }
}
