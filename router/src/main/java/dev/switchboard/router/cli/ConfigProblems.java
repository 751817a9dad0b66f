package dev.switchboard.router.cli;

import dev.switchboard.router.config.ConfigException;
import java.io.PrintWriter;

/** Prints a rejected configuration the same way for every command: a header line, then one problem per line. */
final class ConfigProblems {

    private ConfigProblems() {
    }

    static void print(PrintWriter err, String source, ConfigException e) {
        err.println(source + ": invalid configuration (" + e.problems().size()
                + (e.problems().size() == 1 ? " problem)" : " problems)"));
        e.problems().forEach(p -> err.println("  " + p));
        err.flush();
    }
}
