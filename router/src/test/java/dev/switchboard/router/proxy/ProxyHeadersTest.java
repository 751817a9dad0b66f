package dev.switchboard.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.RawHttp;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the backend sees of the client's headers, through the real proxy. */
class ProxyHeadersTest {

    static TestBackend backend;
    static RouterFixture untrusting;
    static RouterFixture trusting;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("h");
        String services = """
                services:
                  web: {instances: [{address: "%s"}]}
                routes:
                  - {path: /, service: web}
                  - {path: /backend-host, service: web, preserve_host: false}
                """.formatted(backend.address());
        untrusting = RouterFixture.start(services);
        trusting = RouterFixture.start("listen: {address: 127.0.0.1, port: 0, trusted_proxies: [127.0.0.0/8]}\n" + services);
    }

    @AfterAll
    static void stop() {
        untrusting.close();
        trusting.close();
        backend.close();
    }

    private static String headersSeen(RouterFixture router, String path, String extraHeaders) throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            http.send("GET " + path + " HTTP/1.1\r\nHost: shop.example.com:8443\r\n" + extraHeaders + "\r\n");
            RawHttp.Response r = http.read();
            assertThat(r.status()).isEqualTo(200);
            return r.body();
        }
    }

    @Test
    void hopByHopHeadersAreNotForwarded() throws Exception {
        String seen = headersSeen(untrusting, "/headers", """
                Connection: keep-alive, X-Private
                X-Private: secret
                Keep-Alive: timeout=5
                TE: trailers
                Proxy-Authorization: Basic Zm9vOmJhcg==
                Proxy-Connection: keep-alive
                X-End-To-End: kept
                """.replace("\n", "\r\n"));
        assertThat(seen).contains("X-End-To-End: kept")
                .doesNotContain("X-Private")
                .doesNotContain("Keep-Alive")
                .doesNotContain("TE:")
                .doesNotContain("Proxy-Authorization")
                .doesNotContain("Proxy-Connection");
    }

    @Test
    void untrustedForwardedHeadersAreReplaced() throws Exception {
        String seen = headersSeen(untrusting, "/headers",
                "X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Port: 1\r\n");
        assertThat(seen).contains("X-Forwarded-For: 127.0.0.1\n")
                .contains("X-Forwarded-Proto: http\n")
                .contains("X-Forwarded-Host: shop.example.com:8443\n")
                .contains("X-Forwarded-Port: 8443\n")
                .doesNotContain("6.6.6.6")
                .doesNotContain("evil.example");
    }

    @Test
    void theForwardedPortIsTheOneTheClientAddressed() throws Exception {
        backend.behave(ex -> ex.getResponseSender().send("port=" + ex.getRequestHeaders().getFirst("X-Forwarded-Port")));
        try (RawHttp http = new RawHttp(untrusting.port())) {
            http.send("GET /p HTTP/1.1\r\nHost: shop.example.com\r\n\r\n");
            assertThat(http.read().body()).isEqualTo("port=80"); // no port: the scheme's
            http.send("GET /p HTTP/1.1\r\nHost: [::1]:9000\r\n\r\n");
            assertThat(http.read().body()).isEqualTo("port=9000"); // an IPv6 literal's colons are not the port's
            http.send("GET /p HTTP/1.1\r\nHost: [::1]\r\n\r\n");
            assertThat(http.read().body()).isEqualTo("port=80");
            http.send("GET /p HTTP/1.0\r\n\r\n"); // no Host at all: the listener's port
            assertThat(http.read().body()).isEqualTo("port=" + untrusting.port());
        } finally {
            backend.behave(null);
        }
    }

    @Test
    void trustedForwardedHeadersAreExtended() throws Exception {
        String seen = headersSeen(trusting, "/headers",
                "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: public.example\r\n");
        assertThat(seen).contains("X-Forwarded-For: 203.0.113.9, 127.0.0.1\n")
                .contains("X-Forwarded-Proto: https\n")
                .contains("X-Forwarded-Host: public.example\n");
    }

    @Test
    void untrustedForwardedAndXRealIpAreDropped() throws Exception {
        String seen = headersSeen(untrusting, "/headers",
                "Forwarded: for=6.6.6.6;proto=https;host=evil.example\r\nX-Real-IP: 6.6.6.7\r\n");
        assertThat(seen).doesNotContain("6.6.6.6").doesNotContain("6.6.6.7").doesNotContain("evil.example")
                .contains("X-Forwarded-For: 127.0.0.1\n");
    }

    @Test
    void trustedForwardedAndXRealIpPassAndEveryForwardedForLineCounts() throws Exception {
        String seen = headersSeen(trusting, "/headers",
                "Forwarded: for=203.0.113.9\r\nX-Real-IP: 203.0.113.9\r\nX-Forwarded-For: 1.1.1.1\r\nX-Forwarded-For: 2.2.2.2\r\n");
        assertThat(seen).contains("Forwarded: for=203.0.113.9\n")
                .contains("X-Real-IP: 203.0.113.9\n")
                .contains("X-Forwarded-For: 1.1.1.1, 2.2.2.2, 127.0.0.1\n");
    }

    @Test
    void hostIsPreservedByDefault() throws Exception {
        assertThat(headersSeen(untrusting, "/headers", "")).contains("Host: shop.example.com:8443\n");
    }

    @Test
    void hostCanBeTheBackends() throws Exception {
        try (RawHttp http = new RawHttp(untrusting.port())) {
            http.send("GET /backend-host HTTP/1.1\r\nHost: shop.example.com\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(200);
        }
        backend.behave(ex -> ex.getResponseSender().send("host=" + ex.getRequestHeaders().getFirst("Host")));
        try (RawHttp http = new RawHttp(untrusting.port())) {
            http.send("GET /backend-host HTTP/1.1\r\nHost: shop.example.com\r\n\r\n");
            assertThat(http.read().body()).isEqualTo("host=" + backend.address());
        } finally {
            backend.behave(null);
        }
    }

    @Test
    void anHttp10RequestWithoutHostReachesTheBackendWithTheBackendsHost() throws Exception {
        backend.behave(ex -> ex.getResponseSender().send(ex.getProtocol() + " host=" + ex.getRequestHeaders().get("Host")));
        try (RawHttp http = new RawHttp(untrusting.port())) {
            http.send("GET /headers HTTP/1.0\r\n\r\n");
            RawHttp.Response r = http.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("HTTP/1.1 host=[" + backend.address() + "]");
        } finally {
            backend.behave(null);
        }
    }

    @Test
    void clientConnectionCloseDoesNotCloseThePool() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (RawHttp http = new RawHttp(untrusting.port())) {
                http.send("GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                RawHttp.Response r = http.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(http.closedByPeer()).isTrue();
            }
        }
        var pool = untrusting.switchboard().registry().snapshot().get("web").get(0).pool();
        assertThat(pool.openConnections()).isBetween(1, 2);
    }
}
