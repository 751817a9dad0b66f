package dev.switchboard.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.runtime.ConfigReloader;
import dev.switchboard.router.runtime.Launcher;
import dev.switchboard.router.testing.TestBackend;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config reloads under steady GET load, through the {@link Launcher} as the CLI starts the router:
 * an invalid file is rejected while the old config keeps serving, and 100 reloads in 10 s
 * (alternating two valid configs over the same backends) cost no request.
 */
class ReloadUnderLoadTest {

    @TempDir
    Path dir;
    Path file;
    TestBackend a;
    TestBackend b;
    Launcher launcher;
    final ConfigLoader loader = new ConfigLoader(k -> null);

    @BeforeEach
    void start() throws Exception {
        a = TestBackend.start("a");
        b = TestBackend.start("b");
        file = dir.resolve("switchboard.yaml");
        Files.writeString(file, config("round_robin", "5s"));
        launcher = Launcher.start(loader.load(file), file, loader, Launcher.Options.TEST);
    }

    @AfterEach
    void stop() {
        launcher.close();
        a.close();
        b.close();
    }

    /** Two valid configs differ in strategy and a timeout; backends and routes stay the same. */
    private String config(String strategy, String response) {
        return """
                listen: {address: 127.0.0.1, port: 0}
                admin: {enabled: false}
                services:
                  web:
                    strategy: %s
                    timeouts: {response: %s}
                    instances: [{address: "%s"}, {address: "%s"}]
                routes: [{name: r, path: /, service: web}]
                """.formatted(strategy, response, a.address(), b.address());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + launcher.switchboard().port() + path);
    }

    @Test
    void invalidFileIsRejectedWithZeroErrors() throws Exception {
        Clients load = Clients.start(uri("/steady"), 4, 10_000, Duration.ofSeconds(10));
        try {
            waitForRequests(load, 50);
            String[] invalid = {
                "services: {web: {strategy: nonsense, instances: [{address: \"" + a.address() + "\"}]}}\nroutes: [{path: /, service: web}]\n",
                "routes: [{path: /, service: missing}]\n",
                "listen: {address: 127.0.0.1, port: 0\n  broken yaml: [",
            };
            long failuresBefore = launcher.reloader().status().failures();
            for (String text : invalid) {
                Files.writeString(file, text);
                ConfigReloader.Outcome outcome = launcher.reloader().reload("test: invalid");
                assertThat(outcome.error()).as(text).isNotNull();
            }
            assertThat(launcher.reloader().status().failures()).isEqualTo(failuresBefore + invalid.length);
            int seen = load.completed();
            waitForRequests(load, seen + 50);
        } finally {
            load.stopAndAwait();
        }
        System.out.printf("invalid reloads under load: %d requests %s%n", load.completed(), load.statuses());
        assertThat(load.problems()).as("client-visible errors").isEmpty();
        assertThat(load.completed()).isGreaterThan(100);
    }

    @Test
    void hundredReloadsInTenSecondsUnderLoadCostNoRequest() throws Exception {
        Clients load = Clients.start(uri("/steady"), 4, 100_000, Duration.ofSeconds(20));
        long successesBefore = launcher.reloader().status().successes();
        long start = System.nanoTime();
        try {
            waitForRequests(load, 50);
            for (int i = 0; i < 100; i++) {
                Files.writeString(file, i % 2 == 0 ? config("least_request", "4s") : config("round_robin", "5s"));
                ConfigReloader.Outcome outcome = launcher.reloader().reload("test: churn " + i);
                assertThat(outcome.error()).as("reload " + i).isNull();
                // Pace: 100 reloads spread over about 10 s, one every 100 ms from the loop's start.
                long next = start + (i + 1) * 100_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } finally {
            load.stopAndAwait();
        }
        System.out.printf("100 reloads in %d ms under load: %d requests %s, p99 %.1f ms%n",
                (System.nanoTime() - start) / 1_000_000, load.completed(), load.statuses(), Clients.quantileMillis(load.results(), 200, 0.99));
        assertThat(launcher.reloader().status().successes() - successesBefore).isEqualTo(100);
        assertThat(load.problems()).as("client-visible errors").isEmpty();
        assertThat(load.completed()).isGreaterThan(200);
        assertThat(a.requests()).isPositive();
        assertThat(b.requests()).isPositive();
    }

    private static void waitForRequests(Clients load, int n) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> load.completed() >= n);
    }
}
