package dev.switchboard.it.compose;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opentest4j.TestAbortedException;

/** Files of this repository, found from the test's working directory (Surefire runs in the module dir). */
public final class Repo {

    private static final Path ROOT = find();

    private Repo() {
    }

    /** The repository root: the nearest directory upwards holding {@code mvnw} and {@code docker-compose.yml}. */
    public static Path root() {
        return ROOT;
    }

    /** A path relative to the repository root. */
    public static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    /**
     * {@code router/target/switchboard.jar}, which {@code ./mvnw verify} packages before this module's
     * tests run. Missing, it fails the test under {@code CI=true} and skips it elsewhere, saying how to
     * build it.
     */
    public static Path switchboardJar() {
        Path jar = path("router/target/switchboard.jar");
        if (!Files.isRegularFile(jar)) {
            String how = jar + " is missing: run ./mvnw -q -DskipTests package (./mvnw verify builds it before this module)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(how);
            }
            throw new TestAbortedException(how);
        }
        return jar;
    }

    private static Path find() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isRegularFile(p.resolve("docker-compose.yml"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root: not found above " + dir
                + " (expected: a directory with mvnw and docker-compose.yml)");
    }
}
