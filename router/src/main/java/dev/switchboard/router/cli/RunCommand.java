package dev.switchboard.router.cli;

import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import dev.switchboard.router.runtime.Launcher;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Runs the router until SIGTERM/SIGINT, then drains. The config comes from {@code --config}, else
 * {@code SWITCHBOARD_CONFIG}, else the embedded default (no routes: every request gets 404).
 */
@Command(name = "run", description = "Run the router.", mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {

    private static volatile boolean running;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config file (default: $SWITCHBOARD_CONFIG)")
    Path config;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    static boolean keepsRunning() {
        return running;
    }

    @Override
    public Integer call() {
        Path file = config;
        if (file == null) {
            try {
                file = envPath();
            } catch (InvalidPathException e) {
                spec.commandLine().getErr().println("SWITCHBOARD_CONFIG: \"" + main.env().apply("SWITCHBOARD_CONFIG")
                        + "\" (expected: a file path)");
                return 2;
            }
        }
        ConfigLoader loader = new ConfigLoader(main.env());
        SwitchboardConfig cfg;
        try {
            cfg = file != null ? loader.load(file) : loader.parse("");
        } catch (ConfigException e) {
            ConfigProblems.print(spec.commandLine().getErr(), file != null ? file.toString() : "embedded default", e);
            return 2;
        }
        return start(cfg, file, loader, spec.commandLine().getErr());
    }

    /** Starts the router and registers its draining shutdown; 0 when it is serving, 1 when it could not start. */
    static int start(SwitchboardConfig cfg, Path file, ConfigLoader loader, PrintWriter err) {
        Launcher sb;
        try {
            sb = Launcher.start(cfg, file, loader, Launcher.Options.DEFAULT);
        } catch (Exception e) {
            err.println("switchboard failed to start: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
            err.flush();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(sb::shutdown, "switchboard-shutdown"));
        running = true;
        return 0;
    }

    private Path envPath() {
        String env = main.env().apply("SWITCHBOARD_CONFIG");
        return env == null || env.isBlank() ? null : Path.of(env.trim());
    }
}
