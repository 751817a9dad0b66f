package dev.switchboard.it.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.it.compose.FreePorts;
import dev.switchboard.it.compose.Repo;
import dev.switchboard.it.compose.RouterProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's demo line for real: {@code java -jar router/target/switchboard.jar demo} as a child
 * process from the repository root (the jar exists in {@code verify}: the router module is packaged
 * before this one), on the default ports when they are free, else with {@code --port},
 * {@code --admin-port} and {@code --backend-port} on free ones. It curls what the demo prints and
 * stops it by PID with SIGTERM.
 */
public class DemoCommandTest {

    /** The README command this test runs. */
    public static final String README_COMMAND = "java -jar router/target/switchboard.jar demo";

    private static final Pattern CURL = Pattern.compile("curl -s (http://\\S+)");
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30); // listen.drain_timeout default, the demo's

    @Test
    void theDemoAnswersWhatItPrintsAndStopsOnSigterm() throws Exception {
        assertThat(Readme.load().commands()).extracting(Readme.Command::text).contains(README_COMMAND);
        Repo.switchboardJar();
        List<String> cmd = new ArrayList<>(List.of(README_COMMAND.split(" ")));
        cmd.set(0, RouterProcess.javaBinary());
        if (!(FreePorts.isFree(8080) && FreePorts.isFree(8081) && FreePorts.isFree(9001) && FreePorts.isFree(9002) && FreePorts.isFree(9003))) {
            // the defaults are taken on this machine: same command, free ports
            cmd.addAll(List.of("--port", String.valueOf(FreePorts.one()), "--admin-port", String.valueOf(FreePorts.one()),
                    "--backend-port", String.valueOf(consecutiveFree(3))));
        }
        System.out.println("DemoCommandTest runs: " + String.join(" ", cmd.subList(1, cmd.size())));
        Process demo = new ProcessBuilder(cmd).directory(Repo.root().toFile()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> printed = new ArrayList<>();
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        synchronized (printed) {
                            printed.add(line);
                        }
                        if (line.contains("Stop with Ctrl-C")) {
                            return;
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            reading.get(30, TimeUnit.SECONDS);
            List<String> urls = new ArrayList<>();
            synchronized (printed) {
                for (String line : printed) {
                    Matcher m = CURL.matcher(line);
                    if (m.find()) {
                        urls.add(m.group(1));
                    }
                }
            }
            assertThat(urls).as("curl lines the demo prints: %s", printed).hasSize(3);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

            // /hello: backend-1, -2 and -3 in turn, backend-3 twice as often (weight 2)
            List<String> hello = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                hello.add(get(http, urls.get(0)));
            }
            assertThat(hello).containsOnly("hello from backend-1 (path /hello)\n", "hello from backend-2 (path /hello)\n",
                    "hello from backend-3 (path /hello)\n");
            assertThat(hello).filteredOn(s -> s.contains("backend-3")).hasSize(4);
            assertThat(hello).filteredOn(s -> s.contains("backend-1")).hasSize(2);

            // /api/hello: /api stripped
            assertThat(get(http, urls.get(1))).matches("hello from backend-[123] \\(path /hello\\)\n");
            // the admin API it points at
            assertThat(get(http, urls.get(2))).contains("demo");

            demo.destroy();
            assertThat(demo.waitFor(DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("demo exits within the drain timeout after SIGTERM").isTrue();
        } finally {
            if (demo.isAlive()) {
                demo.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return r.body();
    }

    static int consecutiveFree(int n) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int base = FreePorts.one();
            boolean free = true;
            for (int i = 1; i < n && free; i++) {
                free = base + i <= 65_535 && FreePorts.isFree(base + i);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no " + n + " consecutive free ports in 20 attempts");
    }
}
