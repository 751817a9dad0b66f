package dev.switchboard.router.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.testing.TestBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that connects while the router is still starting must get the routed answer, never a
 * 404 from the empty table that exists before the first routing state is built.
 */
class StartupOrderTest {

    @Test
    void theFirstRequestAcceptedIsRoutedNot404() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (TestBackend backend = TestBackend.start("b")) {
            var config = new ConfigLoader(k -> null).parse("""
                    listen: {address: 127.0.0.1, port: %d}
                    admin: {enabled: false}
                    services: {web: {instances: [{address: "%s"}]}}
                    routes: [{path: /, service: web}]
                    """.formatted(port, backend.address()));
            // The client keeps trying to connect while the router starts; its first answer counts.
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> firstStatusLine(port));
            try (Switchboard sb = Switchboard.start(config, null)) {
                assertThat(first.get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200");
            }
        }
    }

    private static String firstStatusLine(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(20_000);
                OutputStream out = s.getOutputStream();
                out.write("GET /early HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                StringBuilder line = new StringBuilder();
                for (int c; (c = in.read()) >= 0 && c != '\r'; ) {
                    line.append((char) c);
                }
                return line.toString();
            } catch (IOException refusedBeforeBind) {
                Thread.onSpinWait();
            }
        }
        return "no answer within 30 s";
    }
}
