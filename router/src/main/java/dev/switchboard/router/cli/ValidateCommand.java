package dev.switchboard.router.cli;

import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Checks a config file and prints every problem; exit 0 if valid, 2 if not. */
@Command(name = "validate", description = "Check a config file and print every problem.", mixinStandardHelpOptions = true)
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the YAML config file")
    Path file;

    @Override
    public Integer call() {
        try {
            var config = new ConfigLoader().load(file);
            System.out.println(file + ": valid (" + config.services().size() + " service(s), "
                    + config.routes().size() + " route(s))");
            return 0;
        } catch (ConfigException e) {
            System.err.println(file + ": invalid configuration");
            e.problems().forEach(p -> System.err.println("  " + p));
            return 2;
        }
    }
}
