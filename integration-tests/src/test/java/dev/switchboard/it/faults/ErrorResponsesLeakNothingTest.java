package dev.switchboard.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import io.undertow.util.SameThreadExecutor;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Security defaults (issue #7): every response the router makes up itself, from 400 to 504, has
 * its fixed short text, an {@code X-Switchboard-Error} code, no stack trace, no backend address or
 * port, and no header naming the server software.
 */
class ErrorResponsesLeakNothingTest {

    static TestBackend web;
    static TestBackend frozen;
    static RawBackend resetting;
    static int closedPort;
    static RouterFixture router;

    @BeforeAll
    static void start() throws Exception {
        web = TestBackend.start("web");
        frozen = TestBackend.start("frozen");
        frozen.behave(ex -> ex.dispatch(SameThreadExecutor.INSTANCE, () -> { }));
        resetting = RawBackend.answering("");
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        router = RouterFixture.start("""
                listen: {address: 127.0.0.1, port: 0, max_request_body: 100, max_url_length: 200, max_header_size: 1KiB}
                admin: {enabled: false}
                services:
                  web: {instances: [{address: "%s"}]}
                  frozen: {instances: [{address: "%s"}], timeouts: {response: 300ms}, retry: {max_attempts: 1}}
                  resetting: {instances: [{address: "%s"}], retry: {max_attempts: 1}}
                  gone: {instances: [{address: "127.0.0.1:%d"}], retry: {max_attempts: 1}}
                  empty: {}
                routes:
                  - {host: a, path: /, service: web}
                  - {host: a, path: /frozen, service: frozen}
                  - {host: a, path: /reset, service: resetting}
                  - {host: a, path: /gone, service: gone}
                  - {host: a, path: /empty, service: empty}
                """.formatted(web.address(), frozen.address(), resetting.address(), closedPort));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
        web.close();
        frozen.close();
        resetting.close();
    }

    private static void check(String request, int status, String code, String message) throws Exception {
        Wire.Reply r = Wire.exchange(router.port(), request, 5000);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("X-Switchboard-Error")).as(r.toString()).isEqualTo(code);
        assertThat(r.body()).as(r.toString()).startsWith(message);
        assertThat(r.header("Server")).as("no server software named: " + r).isNull();
        assertThat(r.header("X-Powered-By")).as(r.toString()).isNull();
        assertThat(r.leaksInternals(web.address(), frozen.address(), resetting.address(), String.valueOf(closedPort),
                String.valueOf(web.port()), String.valueOf(frozen.port()))).as(r.toString()).isFalse();
    }

    @Test
    void everyRouterMadeResponseIsShortAndLeaksNothing() throws Exception {
        check("GET /x HTTP/1.1\r\nHost: nowhere\r\nConnection: close\r\n\r\n", 404, "no_route", "no route matches this request\n");
        check("GET /x/../../y HTTP/1.1\r\nHost: a\r\n\r\n", 400, "bad_path", "request path is not allowed: ");
        check("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 405, "method_not_allowed", "method not allowed\n");
        check("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 500\r\n\r\n" + "b".repeat(500), 413, "body_too_large", "request body is too large\n");
        check("GET /" + "u".repeat(300) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414, "uri_too_long", "request URI is too long\n");
        check("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "h".repeat(1500) + "\r\n\r\n", 431, "headers_too_large", "request headers are too large\n");
        check("GET /gone HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 502, "upstream_connect_failure", "backend refused the connection\n");
        check("GET /reset HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 502, "upstream_reset", "backend closed the connection before responding\n");
        check("GET /empty HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 503, "no_healthy_backend", "no backend is available for this route\n");
        check("GET /frozen HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 504, "upstream_timeout", "backend did not answer in time\n");
    }
}
