package dev.switchboard.it.compose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile as stages of instructions: comments dropped, {@code \}-continued lines joined. Enough
 * to check what the quickstart relies on, not a full parser (no ARG expansion, no heredocs).
 */
public final class Dockerfile {

    /** One instruction: upper-cased keyword and its raw arguments. */
    public record Instruction(String keyword, String args) {

        /** Exec form ({@code ["a", "b"]}) as a list; shell form as {@code ["sh", "-c", args]}. */
        public List<String> execForm() {
            String a = args.strip();
            if (a.startsWith("[")) {
                try {
                    return Arrays.asList(new ObjectMapper().readValue(a, String[].class));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(keyword + " " + a + ": not a JSON array (expected: exec form)", e);
                }
            }
            return List.of("/bin/sh", "-c", a);
        }
    }

    /** A stage: {@code FROM image [AS name]} and its instructions. */
    public record Stage(String image, String name, List<Instruction> instructions) {

        public List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /** The last instruction with this keyword (the one that counts for USER, CMD, ENTRYPOINT, HEALTHCHECK). */
        public Instruction last(String keyword) {
            List<Instruction> l = all(keyword);
            return l.isEmpty() ? null : l.get(l.size() - 1);
        }
    }

    private final List<Stage> stages;

    private Dockerfile(List<Stage> stages) {
        this.stages = List.copyOf(stages);
    }

    public static Dockerfile load(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    static Dockerfile parse(String text) {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            if (t.startsWith("#")) {
                continue;
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            if (!current.toString().isBlank()) {
                logical.add(current.toString().strip());
            }
            current.setLength(0);
        }
        List<Stage> stages = new ArrayList<>();
        List<Instruction> instructions = null;
        for (String l : logical) {
            int sp = l.indexOf(' ');
            String keyword = (sp < 0 ? l : l.substring(0, sp)).toUpperCase(Locale.ROOT);
            String args = sp < 0 ? "" : l.substring(sp + 1).strip();
            if (keyword.equals("FROM")) {
                String[] w = args.split("\\s+");
                String image = w[0].startsWith("--") && w.length > 1 ? w[1] : w[0];
                String name = null;
                for (int i = 0; i < w.length - 1; i++) {
                    if (w[i].equalsIgnoreCase("AS")) {
                        name = w[i + 1];
                    }
                }
                instructions = new ArrayList<>();
                stages.add(new Stage(image, name, instructions));
            } else if (instructions == null) {
                if (!keyword.equals("ARG")) {
                    throw new IllegalArgumentException(keyword + " before FROM (expected: FROM first)");
                }
            } else {
                instructions.add(new Instruction(keyword, args));
            }
        }
        return new Dockerfile(stages);
    }

    public List<Stage> stages() {
        return stages;
    }

    public Stage finalStage() {
        return stages.get(stages.size() - 1);
    }
}
