package dev.switchboard.it.compose;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code switchboard <args>} as a child JVM on the test's classpath (what the container's
 * {@code java -jar switchboard.jar run --config …} runs), output to a log file, stopped by PID
 * with SIGTERM so the real draining shutdown runs.
 */
public final class RouterProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private RouterProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java [jvm flags] -cp <test classpath> dev.switchboard.router.cli.Main args…} with exactly {@code env}. */
    public static RouterProcess start(List<String> args, Map<String, String> env, Path log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
                "-cp", classpath, "dev.switchboard.router.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return new RouterProcess(pb.start(), log);
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : "")).toString();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines of the log, for assertion messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then waits up to {@code seconds}; true if it exited in time (else it is killed). */
    public boolean stop(long seconds) throws InterruptedException {
        process.destroy();
        boolean exited = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        return exited;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(10);
        }
    }
}
