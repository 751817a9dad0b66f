package dev.switchboard.it.readme;

import dev.switchboard.it.compose.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * README.md as fenced code blocks under their {@code ##} section, and the shell commands in its
 * {@code bash} blocks: {@code \}-continued lines joined, comments and blank lines dropped, each
 * {@code &&}-separated part a command of its own.
 */
public final class Readme {

    /** A fenced block: its language, the {@code ##} section it is in, and its exact content. */
    public record Block(String language, String section, String content) {
    }

    /** One command of a {@code bash} block and the section it is in. */
    public record Command(String section, String text) {
    }

    private final String text;

    private Readme(String text) {
        this.text = text;
    }

    public static Readme load() {
        try {
            return new Readme(Files.readString(Repo.path("README.md")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String text() {
        return text;
    }

    public List<Block> blocks() {
        List<Block> out = new ArrayList<>();
        String section = "";
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("## ")) {
                section = line.substring(3).strip();
            } else if (line.startsWith("```")) {
                String lang = line.substring(3).strip();
                StringBuilder content = new StringBuilder();
                int j = i + 1;
                while (j < lines.length && !lines[j].startsWith("```")) {
                    content.append(lines[j]).append('\n');
                    j++;
                }
                if (j == lines.length) {
                    throw new IllegalStateException("README.md: code block opened at line " + (i + 1) + " is never closed");
                }
                out.add(new Block(lang, section, content.toString()));
                i = j;
            }
        }
        return out;
    }

    public List<Block> blocks(String language) {
        return blocks().stream().filter(b -> b.language().equals(language)).toList();
    }

    /** Every command of every {@code bash} block, in order. */
    public List<Command> commands() {
        List<Command> out = new ArrayList<>();
        for (Block b : blocks("bash")) {
            for (String logical : b.content().replaceAll("[ \\t]*\\\\\\n\\s*", " ").split("\n")) {
                String cmd = stripComment(logical).strip();
                if (cmd.isEmpty()) {
                    continue;
                }
                for (String part : splitAnd(cmd)) {
                    out.add(new Command(b.section(), part));
                }
            }
        }
        return out;
    }

    /** The commands of the section whose heading starts with {@code heading}. */
    public List<String> commands(String heading) {
        return commands().stream().filter(c -> c.section().startsWith(heading)).map(Command::text).toList();
    }

    /** Drops a {@code #} comment that starts outside quotes after whitespace (or at the start). */
    public static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Splits on {@code &&} outside quotes. */
    static List<String> splitAnd(String cmd) {
        List<String> parts = new ArrayList<>();
        char quote = 0;
        int start = 0;
        for (int i = 0; i < cmd.length(); i++) {
            char c = cmd.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '&' && i + 1 < cmd.length() && cmd.charAt(i + 1) == '&') {
                parts.add(cmd.substring(start, i).strip());
                start = i + 2;
                i++;
            }
        }
        parts.add(cmd.substring(start).strip());
        return parts.stream().filter(p -> !p.isEmpty()).toList();
    }
}
