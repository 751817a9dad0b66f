package dev.switchboard.router.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.router.testing.TestBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in headless Chromium against a router with a 500-backend catalog: it renders the
 * live state, its drain button (clicked by the page's own automation hook, so the real handler runs)
 * drains the backend, and a screenshot is kept at {@code router/target/dashboard.png}. Skipped when
 * Chromium is missing, except under {@code CI=true}.
 */
class DashboardChromiumTest {

    static final int CATALOG = 500;
    static TestBackend live;
    static AdminFixture fx;
    static String chromium;

    @TempDir
    static Path profile;

    @BeforeAll
    static void start() throws Exception {
        chromium = findChromium();
        if (chromium == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("chromium is not installed but CI=true: install the Debian package 'chromium' (.ci/packages)");
            }
            assumeTrue(false, "chromium not installed: apt-get install -y chromium to run the dashboard test");
        }
        live = TestBackend.start("live");
        StringBuilder yaml = new StringBuilder("services:\n  web:\n    instances:\n      - {address: \"" + live.address() + "\"}\n");
        yaml.append("  catalog:\n    instances:\n");
        for (int i = 0; i < CATALOG - 1; i++) {
            yaml.append("      - {address: \"127.0.0.1:").append(20_000 + i).append("\"}\n");
        }
        yaml.append("routes:\n  - {name: web, path: /, service: web}\n  - {name: catalog, path: /catalog, service: catalog}\n");
        fx = AdminFixture.start(yaml.toString());
        for (int i = 0; i < 5; i++) {
            fx.proxyGet("/hello");
        }
        fx.launcher.syncMetrics();
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
        if (live != null) {
            live.close();
        }
    }

    static String findChromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }

    private static String run(String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=" + profile.resolve("p" + System.nanoTime()), "--virtual-time-budget=15000"));
        cmd.addAll(List.of(extra));
        Path out = Files.createTempFile(profile, "chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                fail("chromium did not finish within 90 s: " + cmd);
            }
        } finally {
            p.destroyForcibly();
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void rendersLiveStateDrainsThroughTheButtonAndKeepsAScreenshot() throws Exception {
        String id = "static/" + live.address();
        String dom = run("--dump-dom", fx.admin("/#token=" + AdminFixture.TOKEN + "&click=drain:" + id).toString());

        assertThat(dom).contains("data-rendered=");
        assertThat(dom).contains("<td>web</td>").contains("<td>catalog</td>");
        assertThat(dom).contains("(" + CATALOG + " of " + CATALOG + ")");
        assertThat(dom).contains("data-backend=\"static/127.0.0.1:20498\"");
        assertThat(dom).contains("data-last-action=\"ok drain " + id + "\"");
        assertThat(dom).contains(">draining<");
        var backend = fx.launcher.switchboard().registry().membership("web").backends().get(0);
        assertThat(backend.isDraining()).isTrue();

        String undrain = run("--dump-dom", fx.admin("/#token=" + AdminFixture.TOKEN + "&click=undrain:" + id).toString());
        assertThat(undrain).contains("data-last-action=\"ok undrain " + id + "\"");
        assertThat(backend.isDraining()).isFalse();

        String wrong = run("--dump-dom", fx.admin("/#token=wrong&click=drain:" + id).toString());
        assertThat(wrong).contains("data-last-action=\"failed drain " + id + "\"").contains("wrong bearer token");
        assertThat(backend.isDraining()).isFalse();

        Path shot = Path.of("target", "dashboard.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        run("--screenshot=" + shot, "--window-size=1400,1800", fx.admin("/").toString());
        assertThat(shot).exists();
        assertThat(Files.size(shot)).isGreaterThan(10_000);
    }
}
