package dev.switchboard.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** SIGTERM path: accepting stops, requests in flight finish, then the router closes. */
class GracefulShutdownTest {

    @Test
    void inFlightRequestsFinishDuringDrain() throws Exception {
        CountDownLatch arrived = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        try (TestBackend backend = TestBackend.start("slow")) {
            backend.behave(TestBackend.blocked("slow", arrived, release));
            RouterFixture router = RouterFixture.start("""
                    listen: {address: 127.0.0.1, port: 0, drain_timeout: 20s}
                    services:
                      slow: {instances: [{address: "%s"}]}
                    routes:
                      - {path: /, service: slow}
                    """.formatted(backend.address()));
            var first = router.client().sendAsync(java.net.http.HttpRequest.newBuilder(router.uri("/a")).build(),
                    HttpResponse.BodyHandlers.ofString());
            var second = router.client().sendAsync(java.net.http.HttpRequest.newBuilder(router.uri("/b")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(router.switchboard()::shutdown);
            await().atMost(Duration.ofSeconds(10)).until(() -> router.switchboard().server().isDraining());
            assertThat(shutdown).isNotDone();
            release.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS).body()).isEqualTo("slow released\n");
            assertThat(second.get(10, TimeUnit.SECONDS).body()).isEqualTo("slow released\n");
            shutdown.get(10, TimeUnit.SECONDS);
            Assertions.assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", router.port()).close())
                    .isInstanceOf(ConnectException.class);
        }
    }
}
