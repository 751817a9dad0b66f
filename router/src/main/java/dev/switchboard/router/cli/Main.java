package dev.switchboard.router.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code switchboard run | validate | demo}. Exit codes: 0 ok, 1 runtime failure, 2 bad config or usage. */
@Command(name = "switchboard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Consul-native HTTP load-balancing router.",
        subcommands = {RunCommand.class, ValidateCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = new CommandLine(new Main())
                .setExitCodeExceptionMapper(e -> 1)
                .setParameterExceptionHandler((ex, a) -> {
                    ex.getCommandLine().getErr().println(ex.getMessage());
                    ex.getCommandLine().usage(ex.getCommandLine().getErr());
                    return 2;
                })
                .execute(args);
        if (code != 0 || !RunCommand.keepsRunning()) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
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
