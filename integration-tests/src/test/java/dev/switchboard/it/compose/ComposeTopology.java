package dev.switchboard.it.compose;

import dev.switchboard.router.cli.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Who is who in {@code docker-compose.yml}, derived from the file itself: the router (the service
 * that builds this repo's image and runs {@code switchboard run}), the example backends (the built
 * image running {@code switchboard backend}), the Consul server and the one-shot registration job.
 * Commands are parsed with Switchboard's own command line, so a compose command the CLI would reject
 * fails here.
 */
public final class ComposeTopology {

    /** An example backend service: compose service name, the name it answers with, its port in the container. */
    public record Backend(String service, String name, int port) {
    }

    public final ComposeFile compose;
    public final ComposeFile.Service router;
    public final Path routerConfig;
    public final Map<String, String> routerEnv;
    public final Map<String, Backend> backends;
    public final ComposeFile.Service consul;
    public final ComposeFile.Service register;
    public final Path registrations;

    private ComposeTopology(ComposeFile compose) throws IOException {
        this.compose = compose;
        ComposeFile.Service r = null;
        ComposeFile.Service c = null;
        ComposeFile.Service reg = null;
        Path regDir = null;
        Map<String, Backend> b = new LinkedHashMap<>();
        for (ComposeFile.Service s : compose.services().values()) {
            String image = s.image() == null ? "" : s.image();
            boolean ours = s.build().isPresent() || compose.builtHere(s.image());
            if (ours && !s.command().isEmpty() && s.command().get(0).equals("run")) {
                if (r != null) {
                    throw new IllegalStateException("two routers in " + compose.file() + ": " + r.name() + ", " + s.name());
                }
                r = s;
            } else if (ours && !s.command().isEmpty() && s.command().get(0).equals("backend")) {
                ParseResult p = parse(s.command()).subcommand();
                b.put(s.name(), new Backend(s.name(), p.matchedOptionValue("--name", ""), p.matchedOptionValue("--port", 9000)));
            } else if (image.startsWith("hashicorp/consul:") && !s.command().isEmpty() && s.command().get(0).equals("agent")) {
                c = s;
            } else if (image.startsWith("hashicorp/consul:") && String.join(" ", s.entrypoint()).contains("services register")) {
                reg = s;
                regDir = s.volumes().stream().filter(ComposeFile.Volume::bind).findFirst()
                        .map(v -> compose.file().getParent().resolve(v.source()).normalize()).orElse(null);
            }
        }
        if (r == null || c == null || reg == null || regDir == null || b.isEmpty()) {
            throw new IllegalStateException(compose.file() + ": expected a router (built image, command run), example"
                    + " backends (command backend), a consul agent and a register job mounting the registrations;"
                    + " found router=" + name(r) + " backends=" + b.keySet() + " consul=" + name(c) + " register=" + name(reg));
        }
        this.router = r;
        this.consul = c;
        this.register = reg;
        this.registrations = regDir;
        this.backends = Map.copyOf(b);
        Map<String, String> env = new LinkedHashMap<>();
        r.environment().forEach((k, v) -> {
            if (v != null) {
                env.put(k, v);
            }
        });
        this.routerEnv = Map.copyOf(env);
        this.routerConfig = configInContainer().flatMap(r::hostPathOf).orElseThrow(() -> new IllegalStateException(
                "services." + router.name() + ": the config file " + configInContainer().orElse("(none)")
                        + " is not mounted from the repository (expected: a bind mount of examples/compose/switchboard.yaml)"));
    }

    public static ComposeTopology load() throws IOException {
        return new ComposeTopology(ComposeFile.load(Repo.path("docker-compose.yml")));
    }

    /** The config path inside the container: {@code run --config}, else {@code SWITCHBOARD_CONFIG} of the service. */
    public Optional<String> configInContainer() {
        Path flag = parse(router.command()).subcommand().matchedOptionValue("--config", null);
        if (flag != null) {
            return Optional.of(flag.toString());
        }
        return Optional.ofNullable(router.environment().get("SWITCHBOARD_CONFIG"));
    }

    /** Parses a compose command with Switchboard's CLI (no execution). */
    public static ParseResult parse(List<String> args) {
        CommandLine cl = Main.commandLine(new Main(k -> null));
        return cl.parseArgs(args.toArray(String[]::new));
    }

    private static String name(ComposeFile.Service s) {
        return s == null ? "(none)" : s.name();
    }
}
