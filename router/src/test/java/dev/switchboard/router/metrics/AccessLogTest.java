package dev.switchboard.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.runtime.Launcher;
import dev.switchboard.router.testing.TestBackend;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access log lines: configured format, written by the writer thread only, off for routes that say so. */
class AccessLogTest {

    @TempDir
    Path dir;

    @Test
    void writesTheConfiguredFormatToAFileAndSkipsRoutesWithAccessLogOff() throws Exception {
        Path file = dir.resolve("access.log");
        try (TestBackend backend = TestBackend.start("b")) {
            var loader = new ConfigLoader(k -> null);
            var config = loader.parse("""
                    listen: {address: 127.0.0.1, port: 0}
                    admin: {enabled: false}
                    access_log: {enabled: true, format: '%%m %%U %%s route=%%{route} backend=%%{backend}', output: "%s"}
                    services: {web: {instances: [{address: "%s"}]}}
                    routes:
                      - {name: quiet, path: /quiet, service: web, access_log: false}
                      - {name: web, path: /, service: web}
                    """.formatted(file, backend.address()));
            try (Launcher l = Launcher.start(config, null, loader, Launcher.Options.TEST)) {
                HttpClient c = HttpClient.newHttpClient();
                for (String p : List.of("/quiet/a", "/hello", "/status/404")) {
                    c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + l.switchboard().port() + p)).build(),
                            HttpResponse.BodyHandlers.discarding());
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file) && Files.readAllLines(file).size() == 2);
            }
            assertThat(Files.readAllLines(file)).containsExactly(
                    "GET /hello 200 route=web backend=" + backend.address(),
                    "GET /status/404 404 route=web backend=" + backend.address());
        }
    }

    @Test
    void requestsTheRouterAnswersBeforeAnyBackendAreLogged() throws Exception {
        Path file = dir.resolve("access.log");
        var loader = new ConfigLoader(k -> null);
        var config = loader.parse("""
                listen: {address: 127.0.0.1, port: 0}
                admin: {enabled: false}
                access_log: {enabled: true, format: '%%U %%s route=%%{route} backend=%%{backend} %%{o,X-Switchboard-Error}', output: "%s"}
                services: {empty: {}}
                routes:
                  - {name: empty, path: /empty, service: empty}
                  - {name: quiet, path: /quiet, service: empty, access_log: false}
                """.formatted(file));
        try (Launcher l = Launcher.start(config, null, loader, Launcher.Options.TEST)) {
            HttpClient c = HttpClient.newHttpClient();
            for (String p : List.of("/nowhere", "/quiet/a", "/empty/a")) {
                c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + l.switchboard().port() + p)).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file) && Files.readAllLines(file).size() == 2);
        }
        assertThat(Files.readAllLines(file)).containsExactly(
                "/nowhere 404 route=- backend=- no_route",
                "/empty/a 503 route=empty backend=- no_healthy_backend");
    }

    @Test
    void commonAndCombinedFormatsExpand() {
        try (AccessLog common = new AccessLog("common", new StringWriter(), 4);
             AccessLog combined = new AccessLog("combined", new StringWriter(), 4)) {
            assertThat(common.writerThread().getName()).isEqualTo("switchboard-access-log");
            assertThat(combined.writerThread().isDaemon()).isTrue();
        }
        assertThat(AccessLog.COMBINED).startsWith(AccessLog.COMMON).contains("%{i,User-Agent}");
    }

    @Test
    void onlyTheWriterThreadWritesAndAFullQueueDropsInsteadOfBlocking() throws Exception {
        List<String> writers = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        Writer slow = new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) {
                writers.add(Thread.currentThread().getName());
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        try (TestBackend backend = TestBackend.start("b")) {
            var loader = new ConfigLoader(k -> null);
            var config = loader.parse("""
                    listen: {address: 127.0.0.1, port: 0}
                    admin: {enabled: false}
                    services: {web: {instances: [{address: "%s"}]}}
                    routes: [{name: web, path: /, service: web}]
                    """.formatted(backend.address()));
            AccessLog log = new AccessLog("%U", new java.io.BufferedWriter(slow, 1), 2);
            try (var sb = dev.switchboard.router.runtime.Switchboard.start(config, null, log)) {
                HttpClient c = HttpClient.newHttpClient();
                for (int i = 0; i < 8; i++) {
                    var r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sb.port() + "/r" + i))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                    assertThat(r.statusCode()).isEqualTo(200);
                }
                // The writer is stuck on the first line; the IO thread kept answering and dropped what did not fit.
                await().atMost(Duration.ofSeconds(5)).until(() -> log.dropped() >= 5);
            } finally {
                gate.countDown();
                log.close();
            }
        }
        assertThat(writers).isNotEmpty().allMatch(n -> n.equals("switchboard-access-log"));
    }
}
