package dev.switchboard.it.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.it.compose.FreePorts;
import dev.switchboard.it.compose.Repo;
import dev.switchboard.it.compose.RouterProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's class-data archive commands for real (the Dockerfile runs the same training): the
 * {@code warmup} training run exits 0 and leaves an archive, and a router started with that archive
 * (and {@code -Xshare:on}, so an unusable archive fails the start instead of being skipped) maps its
 * own classes from it — the proxy's request path among them — and routes requests.
 */
class ClassDataArchiveTest {

    static final String TRAINING = "java -Xlog:cds=off -XX:ArchiveClassesAtExit=switchboard.jsa -jar router/target/switchboard.jar warmup";
    static final String WITH_ARCHIVE = "java -XX:SharedArchiveFile=switchboard.jsa -jar router/target/switchboard.jar demo";

    @TempDir
    Path dir;

    @Test
    void theWarmupTrainsAnArchiveThatARouterMapsItsRequestPathFrom() throws Exception {
        List<String> readme = Readme.load().commands().stream().map(Readme.Command::text).toList();
        assertThat(readme).contains(TRAINING, WITH_ARCHIVE);
        Repo.switchboardJar();
        Path archive = dir.resolve("switchboard.jsa");

        Path trainingLog = dir.resolve("training.log");
        Process training = new ProcessBuilder(command(TRAINING, archive, List.of())).directory(Repo.root().toFile())
                .redirectErrorStream(true).redirectOutput(trainingLog.toFile()).start();
        assertThat(training.waitFor(60, TimeUnit.SECONDS)).as("the training run exits").isTrue();
        assertThat(training.exitValue()).as(Files.readString(trainingLog)).isZero();
        assertThat(Files.readString(trainingLog)).contains("warmup: 500 request(s) routed");
        assertThat(archive).isNotEmptyFile();

        int port = FreePorts.one();
        Path classes = dir.resolve("classes.log");
        List<String> extra = List.of("-Xshare:on", "-Xlog:class+load=info:file=" + classes);
        List<String> cmd = command(WITH_ARCHIVE, archive, extra);
        cmd.addAll(List.of("--port", String.valueOf(port), "--admin-port", String.valueOf(FreePorts.one()),
                "--backend-port", String.valueOf(DemoCommandTest.consecutiveFree(3))));
        Path log = dir.resolve("demo.log");
        Process demo = new ProcessBuilder(cmd).directory(Repo.root().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> r = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .failFast("the router exited; its log:\n" + log, () -> !demo.isAlive())
                    .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()), x -> true);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("hello from backend-");
            List<String> loaded = Files.readAllLines(classes);
            for (String cls : List.of("dev.switchboard.router.proxy.ProxyExchange", "dev.switchboard.router.upstream.ResponseHead",
                    "io.undertow.server.protocol.http.HttpReadListener", "com.fasterxml.jackson.databind.ObjectMapper")) {
                assertThat(loaded).as(cls + " comes from the archive").anyMatch(l -> l.contains(" " + cls + " source: shared objects file (top)"));
            }
        } finally {
            demo.destroy();
            if (!demo.waitFor(40, TimeUnit.SECONDS)) {
                demo.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** A README command with this JVM's java, the archive at {@code archive}, and {@code extra} JVM flags. */
    private static List<String> command(String readmeCommand, Path archive, List<String> extra) {
        List<String> cmd = new ArrayList<>();
        for (String word : readmeCommand.split(" ")) {
            cmd.add(word.replace("=switchboard.jsa", "=" + archive));
        }
        cmd.set(0, RouterProcess.javaBinary());
        cmd.addAll(1, extra);
        return cmd;
    }
}
