package dev.switchboard.router.cli;

import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard run | validate | demo}. Exit codes: 0 ok, 1 runtime failure, 2 bad config or usage.
 * Commands print through picocli's writers, so {@link #commandLine} can be driven with captured output.
 */
@Command(name = "switchboard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Consul-native HTTP load-balancing router.",
        exitCodeOnInvalidInput = 2,
        exitCodeOnExecutionException = 1,
        subcommands = {RunCommand.class, ValidateCommand.class, DemoCommand.class, BackendCommand.class, WarmupCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    private final Function<String, String> env;

    @Spec
    CommandSpec spec;

    /** Reads the process environment. */
    public Main() {
        this(System::getenv);
    }

    /** @param env environment lookup ({@code SWITCHBOARD_CONFIG}, {@code CONSUL_HTTP_ADDR}, …), null for unset */
    public Main(Function<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        int code = commandLine(new Main()).execute(args);
        if (code != 0 || !(RunCommand.keepsRunning() || BackendCommand.keepsRunning())) {
            System.exit(code);
        }
    }

    /**
     * The command line with Switchboard's error handling: a usage error prints the problem and the
     * usage and returns 2; an unexpected failure prints one line (no stack trace) and returns 1.
     */
    public static CommandLine commandLine(Main main) {
        return new CommandLine(main)
                .setParameterExceptionHandler((ex, args) -> {
                    ex.getCommandLine().getErr().println(ex.getMessage());
                    ex.getCommandLine().usage(ex.getCommandLine().getErr());
                    return 2;
                })
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    cmd.getErr().println("switchboard " + cmd.getCommandName() + " failed: " + ex);
                    return 1;
                });
    }

    Function<String, String> env() {
        return env;
    }

    /** No subcommand: print the usage and fail as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("Missing command.");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** The version from the jar manifest. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"switchboard " + (v != null ? v : "development build"),
                    "java " + System.getProperty("java.version")};
        }
    }
}
