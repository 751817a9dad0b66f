package dev.switchboard.router.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.testing.LogCapture;
import dev.switchboard.router.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloads: a valid file changes routes, an invalid one is rejected and the old routes keep serving, nothing in flight is lost. */
class ConfigReloaderTest {

    @TempDir
    Path dir;
    TestBackend backend;
    Path file;
    Launcher launcher;
    final ConfigLoader loader = new ConfigLoader(k -> null);
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        backend = TestBackend.start("b");
        file = dir.resolve("switchboard.yaml");
        Files.writeString(file, config("/old"));
        launcher = Launcher.start(loader.load(file), file, loader, new Launcher.Options(true, false, Duration.ofMillis(100)));
    }

    @AfterEach
    void stop() {
        launcher.close();
        backend.close();
    }

    private String config(String path) {
        return """
                listen: {address: 127.0.0.1, port: 0}
                admin: {enabled: false}
                services: {web: {instances: [{address: "%s"}]}}
                routes: [{name: r, path: %s, service: web}]
                """.formatted(backend.address(), path);
    }

    private int get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launcher.switchboard().port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void validReloadChangesRoutesAndKeepsBackendState() throws Exception {
        var before = launcher.switchboard().registry().membership("web").backends().get(0);
        before.setDraining(false);
        before.overrideWeight(5);
        Files.writeString(file, config("/new"));
        var outcome = launcher.reloader().reload("test");
        assertThat(outcome.applied()).isTrue();
        assertThat(outcome.status().lastError()).isNull();
        assertThat(outcome.status().successes()).isGreaterThanOrEqualTo(1);
        assertThat(get("/new/x")).isEqualTo(200);
        assertThat(get("/old/x")).isEqualTo(404);
        var after = launcher.switchboard().registry().membership("web").backends().get(0);
        assertThat(after).isSameAs(before);
        assertThat(after.weight()).isEqualTo(5);
    }

    @Test
    void editorRenameIsSeenByTheWatcher() throws Exception {
        Path tmp = dir.resolve(".switchboard.yaml.swp");
        Files.writeString(tmp, config("/renamed"));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/renamed/x") == 200);
        assertThat(launcher.reloader().status().successes()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void invalidFileIsRejectedAndTheOldRoutesKeepServing() throws Exception {
        Files.writeString(file, "routes: [{path: nope, service: }]\nbogus_key: 1\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> launcher.reloader().status().failures() >= 1);
        var status = launcher.reloader().status();
        assertThat(status.lastError()).isNotBlank();
        assertThat(get("/old/x")).isEqualTo(200);
        assertThat(launcher.metrics().getGauges().get("switchboard.reload.last_failed").getValue()).isEqualTo(1);
        // and a later good file clears the error
        Files.writeString(file, config("/fixed"));
        await().atMost(Duration.ofSeconds(10)).until(() -> launcher.reloader().status().lastError() == null);
        assertThat(get("/fixed/x")).isEqualTo(200);
    }

    @Test
    void reloadUnderInFlightRequestsLosesNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        backend.behave(ex -> {
            if (ex.isInIoThread()) {
                ex.dispatch(ex2 -> {
                    release.await();
                    ex2.getResponseSender().send("slow");
                });
            }
        });
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inFlight.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launcher.switchboard().port() + "/old/" + i))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> launcher.switchboard().server().inFlight() == 5);
        Files.writeString(file, config("/other"));
        assertThat(launcher.reloader().reload("test").error()).isNull();
        release.countDown();
        for (var f : inFlight) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("slow");
        }
    }

    @Test
    void withoutAFileReloadIsAnError() throws Exception {
        try (TestBackend b = TestBackend.start("x");
             Launcher embedded = Launcher.start(loader.parse(config("/e")), null, loader, Launcher.Options.TEST)) {
            assertThat(embedded.reloader().reload("test").error()).contains("no config file");
        }
    }

    @Test
    void aConfigMapSymlinkSwapIsSeenByTheWatcher() throws Exception {
        // kubelet's layout: name -> ..data/name, ..data -> ..<timestamp>; an update writes a new
        // timestamped directory and renames a new ..data link over the old one.
        launcher.close();
        Path k8s = Files.createDirectory(dir.resolve("k8s"));
        Path v1 = Files.createDirectory(k8s.resolve("..2026_01"));
        Files.writeString(v1.resolve("switchboard.yaml"), config("/cm1"));
        Files.createSymbolicLink(k8s.resolve("..data"), Path.of("..2026_01"));
        Path linked = k8s.resolve("switchboard.yaml");
        Files.createSymbolicLink(linked, Path.of("..data/switchboard.yaml"));
        launcher = Launcher.start(loader.load(linked), linked, loader, new Launcher.Options(true, false, Duration.ofMillis(100)));
        assertThat(get("/cm1/x")).isEqualTo(200);

        Path v2 = Files.createDirectory(k8s.resolve("..2026_02"));
        Files.writeString(v2.resolve("switchboard.yaml"), config("/cm2"));
        Files.createSymbolicLink(k8s.resolve("..data_tmp"), Path.of("..2026_02"));
        Files.move(k8s.resolve("..data_tmp"), k8s.resolve("..data"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/cm2/x") == 200);
        assertThat(get("/cm1/x")).isEqualTo(404);
    }

    @Test
    void anEmptyOrCommentOnlyFileIsRejectedAndTheOldRoutesKeepServing() throws Exception {
        for (String empty : new String[] {"", "  \n", "# being written\n", "---\n", "~\n", "{}\n"}) {
            Files.writeString(file, empty);
            var outcome = launcher.reloader().reload("test");
            assertThat(outcome.applied()).isFalse();
            assertThat(outcome.error()).as("'%s'", empty).contains("no YAML document");
            assertThat(outcome.status().lastError()).isEqualTo(outcome.error());
            assertThat(get("/old/x")).isEqualTo(200);
        }
    }

    @Test
    void aReloadThatChangesStartOnlySectionsSaysTheyNeedARestart() throws Exception {
        try (LogCapture log = LogCapture.of(ConfigReloader.class)) {
            Files.writeString(file, config("/old").replace("admin: {enabled: false}", "admin: {enabled: false}\nconsul: {watch_all: true}"));
            assertThat(launcher.reloader().reload("test").error()).isNull();
            assertThat(log.lines())
                    .contains("config reload (test): section(s) consul differ from the running config and take effect only after a restart");
        }
    }
}
