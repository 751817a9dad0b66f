package dev.switchboard.router.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.testing.RawHttp;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A client that disconnects while its attempt waits on a backend: the attempt ends exactly once, no
 * later than the response timeout (Undertow does not notice an HTTP/1.1 client's FIN while the
 * exchange waits, so it cannot end sooner), the backend's in-flight count drops back to zero, the
 * upstream connection is closed rather than pooled with a response pending, and the client's
 * departure is not charged to the backend's health.
 */
class ClientAbandonsRequestTest {

    @AutoClose
    private final TestBackend frozen = TestBackend.start("frozen");
    @AutoClose
    private RouterFixture router;

    @Test
    void disconnectMidAttemptEndsTheAttempt() throws Exception {
        frozen.behave(Backends.frozen());
        router = RouterFixture.start("""
                upstream: {timeouts: {response: 1s}}
                services:
                  web: {instances: [{address: "%s"}], circuit: {enabled: false}}
                routes:
                  - {path: /, service: web}
                """.formatted(frozen.address()));
        Backend live = Backends.live(router, "web", frozen);
        for (int i = 0; i < 3; i++) {
            try (RawHttp http = new RawHttp(router.port())) {
                http.send("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
                // The backend's count only grows (in flight is 1 only until the response timeout).
                int arrived = i + 1;
                await().atMost(Duration.ofSeconds(5)).until(() -> frozen.requests() == arrived);
            }
            // Bound: the 1 s response timeout plus slack for a shared machine.
            await().atMost(Duration.ofSeconds(4)).until(() -> live.inFlight() == 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> live.pool().openConnections() == 0);
        }
        assertThat(live.inFlight()).isZero();
        assertThat(frozen.requests()).as("no retry for a client that is gone: one backend, tried once each").isEqualTo(3);
    }
}
