package dev.switchboard.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.it.compose.Repo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The benchmark harness's own logic (wrk output parsing, CPU from {@code /proc}, the report's medians
 * and per-round ratios) is tested in Python, beside it; this runs those tests in {@code ./mvnw verify}
 * so a change to the harness cannot break them unnoticed. Without {@code python3} it fails under
 * {@code CI=true} and is skipped elsewhere.
 */
class BenchLibraryTest {

    @Test
    void theHarnessLibraryTestsPass() throws Exception {
        Path lib = Repo.path("bench/lib");
        Process p;
        try {
            p = new ProcessBuilder("python3", "test_lib.py").directory(lib.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            String why = "python3 is not available: " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why, e);
            }
            throw new TestAbortedException(why);
        }
        boolean exited = p.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("test_lib.py finished within 120 s; output:%n%s", output).isTrue();
        assertThat(p.exitValue()).as("test_lib.py exit status; output:%n%s", output).isZero();
        assertThat(output).contains("OK");
    }
}
