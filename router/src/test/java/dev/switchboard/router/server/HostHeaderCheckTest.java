package dev.switchboard.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.RawHttp;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.HostHeaderHandler;
import io.undertow.util.Headers;
import io.undertow.util.Protocols;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The Host fast path accepts only what Undertow's own check accepts, and everything else still gets
 * Undertow's answer through the real listener.
 */
class HostHeaderCheckTest {

    /** Runs Undertow's {@link HostHeaderHandler} on a detached exchange: whether it passes the request on. */
    private static boolean undertowAccepts(String host) {
        HttpServerExchange exchange = new HttpServerExchange(null);
        exchange.setProtocol(Protocols.HTTP_1_1);
        exchange.setRequestURI("/");
        exchange.getRequestHeaders().put(Headers.HOST, host);
        AtomicBoolean passed = new AtomicBoolean();
        try {
            new HostHeaderHandler(ex -> passed.set(true)).handleRequest(exchange);
        } catch (Exception | AssertionError refusedWithoutAConnection) {
            // terminate() sets 400 and then ends an exchange that has no connection
        }
        assertThat(passed.get() || exchange.getStatusCode() == 400).as("Undertow decided on %s", host).isTrue();
        return passed.get();
    }

    @Test
    void commonHostsTakeTheFastPath() {
        for (String host : new String[] {"127.0.0.1:18080", "127.0.0.1", "a.example", "localhost:8080",
                "api.internal.example.com:443", "my_host-1~x", "a:1", "a:65535", "999.1.2.3"}) {
            assertThat(HostHeaderCheck.plainlyValid(host)).as(host).isTrue();
            assertThat(undertowAccepts(host)).as(host).isTrue();
        }
    }

    @Test
    void unusualHostsGoToUndertow() {
        for (String host : new String[] {"", ":80", "a:", "a:0", "a:65536", "a:123456", "a:+80", "a: 80",
                "[::1]:80", "[::1]", "a b", "user@a", "a/b", "a%41b", "a:b:80", "\u00e9.example", "a\tb"}) {
            assertThat(HostHeaderCheck.plainlyValid(host)).as(host).isFalse();
        }
    }

    @Test
    void everythingTheFastPathAcceptsUndertowAcceptsToo() {
        String alphabet = "a9.:-_~!$&'()*+,;=[]%@/ 0\u00ff";
        SplittableRandom random = new SplittableRandom(7);
        int fast = 0;
        for (int i = 0; i < 100_000; i++) {
            char[] host = new char[random.nextInt(0, 10)];
            for (int j = 0; j < host.length; j++) {
                host[j] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String h = new String(host);
            if (HostHeaderCheck.plainlyValid(h)) {
                fast++;
                assertThat(undertowAccepts(h)).as("fast path accepted %s", h).isTrue();
            }
        }
        assertThat(fast).as("random hosts on the fast path").isGreaterThan(1_000);
    }

    @Test
    void theListenerUsesTheCheckAndStillRefusesWhatUndertowRefuses() throws Exception {
        try (TestBackend backend = TestBackend.start("b");
                RouterFixture router = RouterFixture.routingAllTo(backend)) {
            assertThat(HostHeaderHandler.WRAPPER instanceof HostHeaderCheck).as("our check in place (JDK < 24)")
                    .isEqualTo(Runtime.version().feature() < 24);
            try (RawHttp http = new RawHttp(router.port())) {
                http.send("GET /literal HTTP/1.1\r\nHost: 127.0.0.1:" + router.port() + "\r\n\r\n");
                assertThat(http.read().status()).isEqualTo(200);
                http.send("GET /bracketed HTTP/1.1\r\nHost: [::1]:" + router.port() + "\r\n\r\n");
                assertThat(http.read().status()).isEqualTo(200);
            }
            String[] refused = {
                "GET /h HTTP/1.1\r\nHost: a b\r\n\r\n",
                "GET /h HTTP/1.1\r\nHost: a:0\r\n\r\n",
                "GET /h HTTP/1.1\r\nHost: [::1\r\n\r\n",
                "GET /h HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                "GET /h HTTP/1.1\r\n\r\n",
                "GET http://b.example/h HTTP/1.1\r\nHost: a.example\r\n\r\n",
            };
            for (String request : refused) {
                try (RawHttp http = new RawHttp(router.port())) {
                    RawHttp.Response r = http.send(request).read();
                    assertThat(r.status()).as(request).isEqualTo(400);
                    assertThat(http.closedByPeer()).as(request).isTrue();
                }
            }
            assertThat(backend.requests("/h")).isZero();
            assertThat(backend.requests()).isEqualTo(2);
        }
    }
}
