package dev.switchboard.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A WebSocket upgrade passes through and both directions flow until close. */
class WebSocketProxyTest {

    static TestBackend backend;
    static RouterFixture router;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("ws");
        router = RouterFixture.start("""
                services:
                  ws: {instances: [{address: "%s"}]}
                routes:
                  - {path: /, service: ws}
                """.formatted(backend.address()));
    }

    @AfterAll
    static void stop() {
        router.close();
        backend.close();
    }

    @Test
    void echoesThroughTheProxy() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket ws = router.client().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + router.port() + "/ws"), new WebSocket.Listener() {
                    final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            received.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                })
                .get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            ws.sendText("ping-" + i, true).get(5, TimeUnit.SECONDS);
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("ws:ping-" + i);
        }
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        // The plain HTTP path still works after an upgrade took a connection out of the pool.
        assertThat(router.get("/after-ws").body()).isEqualTo("ws GET /after-ws\n");
    }
}
