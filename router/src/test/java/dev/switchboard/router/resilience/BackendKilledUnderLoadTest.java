package dev.switchboard.router.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Issue #3: one of three backends dies abruptly under steady concurrent GET load, and no client sees
 * an error. Requests caught on the dying backend (reset before any response byte, refused connects,
 * stale pooled connections) are retried on another backend; outlier detection then ejects it.
 */
class BackendKilledUnderLoadTest {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 300;
    private static final Duration MAX_TIME = Duration.ofSeconds(8);

    @AutoClose
    private final TestBackend a = TestBackend.start("a");
    @AutoClose
    private final TestBackend b = TestBackend.start("b");
    @AutoClose
    private final TestBackend c = TestBackend.start("c");
    @AutoClose
    private RouterFixture router;

    private void startRouter() throws Exception {
        router = RouterFixture.start("""
                upstream: {timeouts: {connect: 500ms, response: 3s}}
                services:
                  web:
                    instances: [{address: "%s"}, {address: "%s"}, {address: "%s"}]
                    outlier: {consecutive_failures: 3, base_ejection_time: 30s}
                routes:
                  - {path: /, service: web}
                """.formatted(a.address(), b.address(), c.address()));
    }

    @Test
    void stoppingABackendUnderLoadCausesNoClientErrors() throws Exception {
        startRouter();
        try (Load load = Load.start(router.uri("/kill"), THREADS, PER_THREAD, MAX_TIME)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> load.completed() >= 300);
            c.close(); // listener and every open connection closed at once
            int atKill = load.completed();
            load.await();
            System.out.printf("stop: %d requests, %d after the kill, statuses %s, by backend a=%d b=%d c=%d%n",
                    load.completed(), load.completed() - atKill, load.statuses(),
                    load.servedBy("a"), load.servedBy("b"), load.servedBy("c"));
            assertThat(load.statuses()).as("problems: %s", load.problems()).containsOnlyKeys(200);
            assertThat(load.completed() - atKill).as("load kept running after the kill").isGreaterThan(300);
            assertThat(load.servedBy("c")).as("c served before it died").isPositive();
        }
    }

    @Test
    void backendResettingConnectionsMidRequestThenDyingCausesNoClientErrors() throws Exception {
        startRouter();
        try (Load load = Load.start(router.uri("/reset"), THREADS, PER_THREAD, MAX_TIME)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> load.completed() >= 300);
            // Every request c takes from now on has its connection closed before any response byte.
            c.behave(exchange -> exchange.getConnection().close());
            int atReset = load.completed();
            await().atMost(Duration.ofSeconds(5)).until(() -> load.completed() >= atReset + 300);
            c.close();
            load.await();
            System.out.printf("reset: %d requests, statuses %s, c received %d%n",
                    load.completed(), load.statuses(), c.requests());
            assertThat(load.statuses()).as("problems: %s", load.problems()).containsOnlyKeys(200);
        }
    }
}
