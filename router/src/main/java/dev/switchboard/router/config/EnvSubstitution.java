package dev.switchboard.router.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in the YAML text with environment values, before
 * parsing. Comments are left alone (an annotated file may mention variables it does not use). A value
 * with a line break is refused: it would change the document's structure rather than fill one value.
 */
final class EnvSubstitution {

    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private EnvSubstitution() {
    }

    /** @throws ConfigException listing every unset variable and every multi-line value, by line */
    static String apply(String text, Function<String, String> env) throws ConfigException {
        List<String> problems = new ArrayList<>();
        StringBuilder out = new StringBuilder(text.length());
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int comment = commentStart(line);
            out.append(substituteLine(line.substring(0, comment), n + 1, env, problems)).append(line, comment, line.length());
            if (n < lines.length - 1) {
                out.append('\n');
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return out.toString();
    }

    private static String substituteLine(String part, int lineNr, Function<String, String> env, List<String> problems) {
        Matcher m = ENV.matcher(part);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = env.apply(name);
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                problems.add("line " + lineNr + ": ${" + name + "}: not set (expected: environment variable "
                        + name + " set, or a default written as ${" + name + ":-default})");
                value = "";
            } else if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                problems.add("line " + lineNr + ": ${" + name + "}: value contains a line break (expected: a single-line value)");
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Index of the {@code #} that starts a YAML comment on this line, or the line's length. */
    static int commentStart(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single && (i == 0 || line.charAt(i - 1) != '\\')) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return i;
            }
        }
        return line.length();
    }
}
