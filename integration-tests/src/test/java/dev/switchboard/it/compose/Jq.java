package dev.switchboard.it.compose;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/** The real {@code jq} from {@code PATH}, for README commands that pipe into it. */
final class Jq {

    private Jq() {
    }

    static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, "jq"))) {
                return true;
            }
        }
        return false;
    }

    static String run(String filter, String input) throws IOException, InterruptedException {
        if (!available()) {
            String how = "jq is not on PATH: the README pipes into jq (apt-get install jq)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(how + " (CI=true: failing instead of skipping)");
            }
            throw new TestAbortedException(how);
        }
        Process p = new ProcessBuilder("jq", filter).redirectErrorStream(true).start();
        try {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jq " + filter + " failed: " + out + " (input: " + input + ")");
            }
            return out;
        } finally {
            p.destroy();
        }
    }
}
