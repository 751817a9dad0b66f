package dev.switchboard.router.cli;

import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import dev.switchboard.router.runtime.Switchboard;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the router until SIGTERM/SIGINT, then drains. The config comes from {@code --config}, else
 * {@code SWITCHBOARD_CONFIG}, else the embedded default (no routes: every request gets 404).
 */
@Command(name = "run", description = "Run the router.", mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {

    private static volatile boolean running;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config file (default: $SWITCHBOARD_CONFIG)")
    Path config;

    static boolean keepsRunning() {
        return running;
    }

    @Override
    public Integer call() {
        Path file = config != null ? config : envPath();
        SwitchboardConfig cfg;
        try {
            cfg = file != null ? new ConfigLoader().load(file) : new ConfigLoader().parse("");
        } catch (ConfigException e) {
            System.err.println((file != null ? file : "embedded default") + ": invalid configuration");
            e.problems().forEach(p -> System.err.println("  " + p));
            return 2;
        }
        return start(cfg, file);
    }

    static int start(SwitchboardConfig cfg, Path file) {
        Switchboard sb;
        try {
            sb = Switchboard.start(cfg, file);
        } catch (Exception e) {
            System.err.println("switchboard failed to start: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(sb::shutdown, "switchboard-shutdown"));
        running = true;
        return 0;
    }

    private static Path envPath() {
        String env = System.getenv("SWITCHBOARD_CONFIG");
        return env == null || env.isBlank() ? null : Path.of(env);
    }
}
