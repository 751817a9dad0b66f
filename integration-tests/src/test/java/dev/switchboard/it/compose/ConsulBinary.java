package dev.switchboard.it.compose;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code consul} binary for running {@code consul services register} as the compose file's
 * register job does: {@code CONSUL_BIN}, then {@code PATH}, then the cache of
 * {@code integration-tests/consul/install-consul.sh} (the places ConsulAgentExtension looks).
 */
final class ConsulBinary {

    private ConsulBinary() {
    }

    static Optional<Path> find() {
        String bin = System.getenv("CONSUL_BIN");
        if (bin != null && !bin.isBlank()) {
            return Optional.of(Path.of(bin.strip())).filter(Files::isExecutable);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = dir.isBlank() ? null : Path.of(dir, "consul");
            if (p != null && Files.isExecutable(p) && !Files.isDirectory(p)) {
                return Optional.of(p);
            }
        }
        String cacheHome = System.getenv("XDG_CACHE_HOME");
        Path root = (cacheHome != null && !cacheHome.isBlank() ? Path.of(cacheHome)
                : Path.of(System.getProperty("user.home"), ".cache")).resolve("switchboard/consul");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("consul")).filter(Files::isExecutable)
                    .max(Comparator.comparing(p -> p.getParent().getFileName().toString(), ConsulBinary::compareVersions));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(num(x, i), num(y, i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int num(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        String d = parts[i].replaceAll("\\D.*$", "");
        return d.isEmpty() ? 0 : Integer.parseInt(d);
    }
}
