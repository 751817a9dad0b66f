package dev.switchboard.it.compose;

import java.nio.file.Files;
import java.nio.file.Path;

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
