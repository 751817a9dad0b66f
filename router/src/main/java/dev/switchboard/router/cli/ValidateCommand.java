package dev.switchboard.router.cli;

import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Checks a config file and prints every problem; exit 0 if valid, 2 if not. */
@Command(name = "validate", description = "Check a config file and print every problem.", mixinStandardHelpOptions = true)
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the YAML config file")
    Path file;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SwitchboardConfig config;
        try {
            config = new ConfigLoader(main.env()).load(file);
        } catch (ConfigException e) {
            ConfigProblems.print(spec.commandLine().getErr(), file.toString(), e);
            return 2;
        }
        spec.commandLine().getOut().println(file + ": valid (" + config.services().size() + " service(s), "
                + config.routes().size() + " route(s), consul " + (config.consul().enabled() ? "on" : "off") + ")");
        return 0;
    }
}
