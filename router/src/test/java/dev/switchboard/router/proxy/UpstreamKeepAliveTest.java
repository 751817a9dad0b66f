package dev.switchboard.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.router.backend.UpstreamPool;
import dev.switchboard.router.testing.RawHttp;
import dev.switchboard.router.testing.RouterFixture;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Upstream connections are pooled: sequential requests reuse one backend connection, and a
 * connection idle for {@code upstream.keep_alive_ttl} is closed.
 */
class UpstreamKeepAliveTest {

    private static Undertow backend() {
        Undertow backend = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setServerOption(UndertowOptions.ENABLE_STATISTICS, true)
                .setHandler(ex -> ex.getResponseSender().send("x".repeat(100)))
                .build();
        backend.start();
        return backend;
    }

    @Test
    void sequentialRequestsReuseOneConnection() throws Exception {
        Undertow backend = backend();
        int port = ((InetSocketAddress) backend.getListenerInfo().get(0).getAddress()).getPort();
        try (RouterFixture router = RouterFixture.start("""
                listen: {address: 127.0.0.1, port: 0, io_threads: 1}
                services:
                  one: {instances: [{address: "127.0.0.1:%d"}]}
                routes:
                  - {path: /, service: one}
                """.formatted(port));
             RawHttp http = new RawHttp(router.port())) {
            for (int i = 0; i < 50; i++) {
                http.send("GET /r" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(http.read().status()).isEqualTo(200);
                http.send("HEAD /h" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(http.read(true).status()).isEqualTo(200);
            }
            var stats = backend.getListenerInfo().get(0).getConnectorStatistics();
            assertThat(stats.getRequestCount()).isEqualTo(100);
            UpstreamPool pool = router.switchboard().registry().snapshot().get("one").get(0).pool();
            // The last exchange hands its connection back right after its response was written; the
            // client may read the response first.
            await().atMost(Duration.ofSeconds(5)).until(() -> pool.idleConnections() == 1);
            assertThat(pool.openConnections()).isEqualTo(1);
            assertThat(stats.getActiveConnections()).isEqualTo(1);
        } finally {
            backend.stop();
        }
    }

    @Test
    void aConnectionIdleForTheTtlIsClosedAndTheNextRequestOpensAnother() throws Exception {
        Undertow backend = backend();
        int port = ((InetSocketAddress) backend.getListenerInfo().get(0).getAddress()).getPort();
        long ttlMillis = 300;
        try (RouterFixture router = RouterFixture.start("""
                listen: {address: 127.0.0.1, port: 0, io_threads: 1}
                upstream: {keep_alive_ttl: %dms}
                services:
                  one: {instances: [{address: "127.0.0.1:%d"}]}
                routes:
                  - {path: /, service: one}
                """.formatted(ttlMillis, port));
             RawHttp http = new RawHttp(router.port())) {
            UpstreamPool pool = router.switchboard().registry().snapshot().get("one").get(0).pool();
            var stats = backend.getListenerInfo().get(0).getConnectorStatistics();
            long before = System.nanoTime(); // the connection goes idle after this
            http.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(5)).until(() -> pool.openConnections() == 0);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(ttlMillis));
            await().atMost(Duration.ofSeconds(5)).until(() -> stats.getActiveConnections() == 0);
            assertThat(pool.idleConnections()).isZero();

            http.send("GET /second HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> pool.idleConnections() == 1);
            assertThat(stats.getRequestCount()).isEqualTo(2);
        } finally {
            backend.stop();
        }
    }
}
