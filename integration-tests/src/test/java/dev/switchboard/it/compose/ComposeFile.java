package dev.switchboard.it.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The parts of a {@code docker-compose.yml} the quickstart uses, read with SnakeYAML (which resolves
 * anchors and {@code <<} merge keys as Compose does). Short and long syntax of ports, volumes,
 * environment and depends_on are both understood; anything else is left out on purpose.
 */
public final class ComposeFile {

    /** A published port: {@code [hostIp:]published:target}. */
    public record Port(String hostIp, int published, int target) {
    }

    /** A mount: a bind mount when the source is a path ({@code ./x}, {@code /x}), else a named volume. */
    public record Volume(String source, String target, boolean readOnly) {
        public boolean bind() {
            return source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
        }
    }

    /** A build: context directory and Dockerfile, both resolved against the compose file's directory. */
    public record Build(Path context, Path dockerfile) {
    }

    /** One service, over the raw map. */
    public record Service(String name, Map<String, Object> raw, Path dir) {

        public String image() {
            return (String) raw.get("image");
        }

        public Optional<Build> build() {
            Object b = raw.get("build");
            if (b == null) {
                return Optional.empty();
            }
            if (b instanceof String s) {
                Path ctx = dir.resolve(s).normalize();
                return Optional.of(new Build(ctx, ctx.resolve("Dockerfile")));
            }
            Map<?, ?> m = (Map<?, ?>) b;
            Path ctx = dir.resolve(String.valueOf(m.get("context") == null ? "." : m.get("context"))).normalize();
            Object df = m.get("dockerfile");
            return Optional.of(new Build(ctx, ctx.resolve(df == null ? "Dockerfile" : df.toString()).normalize()));
        }

        /** {@code command} as a list (a string form is split on whitespace, as Compose does without quotes). */
        public List<String> command() {
            return words(raw.get("command"));
        }

        public List<String> entrypoint() {
            return words(raw.get("entrypoint"));
        }

        public Map<String, String> environment() {
            Object e = raw.get("environment");
            Map<String, String> out = new LinkedHashMap<>();
            if (e instanceof Map<?, ?> m) {
                m.forEach((k, v) -> out.put(k.toString(), v == null ? null : v.toString()));
            } else if (e instanceof List<?> l) {
                for (Object o : l) {
                    String s = o.toString();
                    int eq = s.indexOf('=');
                    out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
                }
            }
            return out;
        }

        public List<Port> ports() {
            List<Port> out = new ArrayList<>();
            for (Object o : list(raw.get("ports"))) {
                if (o instanceof Map<?, ?> m) {
                    out.add(new Port(m.get("host_ip") == null ? null : m.get("host_ip").toString(),
                            Integer.parseInt(m.get("published").toString()), Integer.parseInt(m.get("target").toString())));
                    continue;
                }
                String[] p = o.toString().split(":");
                switch (p.length) {
                    case 1 -> out.add(new Port(null, Integer.parseInt(p[0]), Integer.parseInt(p[0])));
                    case 2 -> out.add(new Port(null, Integer.parseInt(p[0]), Integer.parseInt(p[1])));
                    case 3 -> out.add(new Port(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2])));
                    default -> throw new IllegalArgumentException("services." + name + ".ports: " + o
                            + " (expected: [host_ip:]published:target)");
                }
            }
            return out;
        }

        public List<Volume> volumes() {
            List<Volume> out = new ArrayList<>();
            for (Object o : list(raw.get("volumes"))) {
                if (o instanceof Map<?, ?> m) {
                    out.add(new Volume(m.get("source").toString(), m.get("target").toString(),
                            Boolean.TRUE.equals(m.get("read_only"))));
                    continue;
                }
                String[] p = o.toString().split(":");
                out.add(new Volume(p[0], p[1], p.length > 2 && p[2].contains("ro")));
            }
            return out;
        }

        /** The host file mounted at {@code containerPath} (or under a mounted directory), if any. */
        public Optional<Path> hostPathOf(String containerPath) {
            for (Volume v : volumes()) {
                if (!v.bind()) {
                    continue;
                }
                if (containerPath.equals(v.target())) {
                    return Optional.of(dir.resolve(v.source()).normalize());
                }
                if (containerPath.startsWith(v.target() + "/")) {
                    return Optional.of(dir.resolve(v.source()).resolve(containerPath.substring(v.target().length() + 1)).normalize());
                }
            }
            return Optional.empty();
        }

        /** The healthcheck's {@code test} as a list, or empty when there is none (or it is disabled). */
        public List<String> healthcheck() {
            Object h = raw.get("healthcheck");
            if (!(h instanceof Map<?, ?> m) || Boolean.TRUE.equals(m.get("disable"))) {
                return List.of();
            }
            return words(m.get("test"));
        }

        /** depends_on as service → condition ({@code service_started} for the list form). */
        public Map<String, String> dependsOn() {
            Object d = raw.get("depends_on");
            Map<String, String> out = new LinkedHashMap<>();
            if (d instanceof List<?> l) {
                l.forEach(s -> out.put(s.toString(), "service_started"));
            } else if (d instanceof Map<?, ?> m) {
                m.forEach((k, v) -> out.put(k.toString(), v instanceof Map<?, ?> c && c.get("condition") != null
                        ? c.get("condition").toString() : "service_started"));
            }
            return out;
        }

        public String restart() {
            Object r = raw.get("restart");
            return r == null ? null : r.toString();
        }

        public String hostname() {
            Object h = raw.get("hostname");
            return h == null ? null : h.toString();
        }
    }

    private final Path file;
    private final Map<String, Service> services;

    private ComposeFile(Path file, Map<String, Service> services) {
        this.file = file;
        this.services = services;
    }

    public static ComposeFile load(Path file) throws IOException {
        Map<?, ?> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        Map<String, Service> services = new LinkedHashMap<>();
        Map<?, ?> raw = (Map<?, ?>) root.get("services");
        if (raw == null) {
            throw new IllegalArgumentException(file + ": services: missing (expected: a map of services)");
        }
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            services.put(e.getKey().toString(), new Service(e.getKey().toString(), m, file.getParent()));
        }
        return new ComposeFile(file, services);
    }

    public Path file() {
        return file;
    }

    public Map<String, Service> services() {
        return services;
    }

    public Service service(String name) {
        Service s = services.get(name);
        if (s == null) {
            throw new IllegalArgumentException("services." + name + ": missing (expected one of " + services.keySet() + ")");
        }
        return s;
    }

    /** The services that build an image from this repository. */
    public List<Service> built() {
        return services.values().stream().filter(s -> s.build().isPresent()).toList();
    }

    /** Services running an image that another service of this file builds (Compose then does not pull it). */
    public boolean builtHere(String image) {
        return image != null && built().stream().anyMatch(s -> image.equals(s.image()));
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static List<String> words(Object o) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of(o.toString().trim().split("\\s+"));
    }
}
