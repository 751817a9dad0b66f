package dev.switchboard.it.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.it.compose.ComposeFilesTest;
import dev.switchboard.it.compose.ComposeScenarioTest;
import dev.switchboard.it.compose.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every command in README.md's {@code bash} blocks is run by {@code .ci/run} or by a test, so a README
 * example that stops working fails the build, and a new one without a test fails it too. The
 * README's YAML config example is the file {@code ConfigLoaderTest} loads, byte for byte.
 */
class ReadmeCommandsTest {

    /** Who runs a README command. */
    record Coverage(Class<?> test, String how) {
    }

    /** README commands run by a test other than the ones that list them themselves. */
    static final Map<String, Coverage> COVERED_BY = Map.of(
            "./mvnw -q -DskipTests package", new Coverage(DemoCommandTest.class,
                    "runs the jar it builds; .ci/run's ./mvnw -B verify runs the same package phase before integration-tests"),
            DemoCommandTest.README_COMMAND, new Coverage(DemoCommandTest.class, "runs it as a child process and curls what it prints"),
            ClassDataArchiveTest.TRAINING, new Coverage(ClassDataArchiveTest.class, "runs it and checks the archive it writes"),
            ClassDataArchiveTest.WITH_ARCHIVE, new Coverage(ClassDataArchiveTest.class,
                    "runs it with -Xshare:on, routes a request, and finds the request path's classes mapped from the archive"));

    private final Readme readme = Readme.load();

    @Test
    void everyReadmeCommandIsRunByCiOrByATest() throws IOException {
        List<String> ci = ciCommands();
        Set<String> uncovered = new LinkedHashSet<>();
        for (Readme.Command c : readme.commands()) {
            String cmd = c.text();
            if (!ci.contains(cmd) && !ComposeScenarioTest.REPLAYED.contains(cmd) && !COVERED_BY.containsKey(cmd)) {
                uncovered.add("[" + c.section() + "] " + cmd);
            }
        }
        assertThat(uncovered).as("README commands no test or .ci/run runs: add a test and list the command in"
                + " ReadmeCommandsTest.COVERED_BY (or replay it in ComposeScenarioTest)").isEmpty();
    }

    @Test
    void theCoverageTableNamesOnlyCommandsTheReadmeHas() {
        List<String> commands = readme.commands().stream().map(Readme.Command::text).toList();
        assertThat(commands).as("stale entries in ReadmeCommandsTest.COVERED_BY").containsAll(COVERED_BY.keySet());
        assertThat(commands).as("stale entries in ComposeScenarioTest.REPLAYED").containsAll(ComposeScenarioTest.REPLAYED);
    }

    @Test
    void theTestCommandIsWhatCiRuns() throws IOException {
        assertThat(readme.commands()).extracting(Readme.Command::text).contains("./mvnw -B verify");
        assertThat(ciCommands()).contains("./mvnw -B verify");
    }

    @Test
    void theYamlConfigExampleIsTheFileTheLoaderTestReads() throws IOException {
        List<Readme.Block> yaml = readme.blocks("yaml");
        assertThat(yaml).as("```yaml blocks in README.md").hasSize(1);
        String file = Files.readString(Repo.path("router/src/test/resources/config/complete.yaml"));
        assertThat(yaml.get(0).content()).as("README's config example vs router/src/test/resources/config/complete.yaml")
                .isEqualTo(file);
        assertThat(Files.readString(Repo.path("router/src/test/java/dev/switchboard/router/config/ConfigLoaderTest.java")))
                .contains("/config/complete.yaml");
    }

    @Test
    void everyTestClassTheReadmeNamesExists() throws IOException {
        Matcher m = Pattern.compile("`([A-Z][A-Za-z0-9]*(?:Test|IT))`").matcher(readme.text());
        Set<String> named = new LinkedHashSet<>();
        while (m.find()) {
            named.add(m.group(1));
        }
        assertThat(named).as("test classes named in README.md").contains(ComposeFilesTest.class.getSimpleName());
        Set<String> existing = new LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(Repo.root(), 12)) {
            files.filter(p -> p.toString().contains("/src/test/java/") && p.toString().endsWith(".java"))
                    .forEach(p -> existing.add(p.getFileName().toString().replace(".java", "")));
        }
        assertThat(existing).as("test classes README.md names").containsAll(named);
    }

    /** The non-comment lines of .ci/run, stripped. */
    private static List<String> ciCommands() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Repo.path(".ci/run"))) {
            String t = Readme.stripComment(line).strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
