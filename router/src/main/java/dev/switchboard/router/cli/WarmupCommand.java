package dev.switchboard.router.cli;

import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import dev.switchboard.router.runtime.Launcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The training run for an application class-data archive: starts an example backend and a router in
 * this JVM on free loopback ports, sends requests through the proxy (GET and POST, with and without a
 * rewrite) and to the admin listener, stops both, and exits. Run under
 * {@code -XX:ArchiveClassesAtExit=switchboard.jsa}, the JVM then archives every class a serving router
 * loads; later launches with {@code -XX:SharedArchiveFile=switchboard.jsa} map them instead of
 * loading them: the first routed request came 1.90 → 1.20 s after launch (median, bench/startup.sh
 * --runs 7 [--cds], 2026-11-22; README: Operations, Startup). The Dockerfile does this at build time.
 */
@Command(name = "warmup", mixinStandardHelpOptions = true,
        description = {"Route requests through an in-process router and example backend, then exit.",
                "The training run for a class-data archive: java -XX:ArchiveClassesAtExit=switchboard.jsa -jar switchboard.jar warmup"})
final class WarmupCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final List<String> ADMIN_PATHS =
            List.of("/ready", "/live", "/admin/metrics", "/metrics", "/api/v1/backends", "/api/v1/routes", "/");

    @Option(names = "--requests", defaultValue = "500", description = "requests through the proxy (default: ${DEFAULT-VALUE})")
    int requests;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (requests < 1 || requests > 1_000_000) {
            err.println("--requests: " + requests + " (expected: 1 to 1000000)");
            return 2;
        }
        try (ExampleBackend backend = ExampleBackend.start("warmup", "127.0.0.1", 0)) {
            ConfigLoader loader = new ConfigLoader(main.env());
            SwitchboardConfig config = loader.parse(config(backend.port()));
            try (Launcher router = Launcher.start(config, null, loader, Launcher.Options.DEFAULT)) {
                String proxy = "http://127.0.0.1:" + router.switchboard().port();
                for (int i = 0; i < requests; i++) {
                    boolean post = i % 10 == 9;
                    expect200(proxy + (i % 2 == 0 ? "/api/hello" : "/hello") + "?n=" + i, post ? "x".repeat(100 + i % 1000) : null);
                }
                String admin = "http://127.0.0.1:" + router.adminPort();
                for (String path : ADMIN_PATHS) {
                    expect200(admin + path, null);
                }
                out.println("warmup: " + requests + " request(s) routed and " + ADMIN_PATHS.size()
                        + " admin page(s) read; exiting");
                out.flush();
            }
            return 0;
        } catch (ConfigException e) {
            ConfigProblems.print(err, "warmup config", e);
            return 1;
        } catch (Exception e) {
            err.println("switchboard warmup failed: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
            err.flush();
            return 1;
        }
    }

    static String config(int backendPort) {
        return """
                listen: {address: 127.0.0.1, port: 0, drain_timeout: 1s}
                admin: {enabled: true, address: 127.0.0.1, port: 0}
                services:
                  warmup:
                    instances: [{address: "127.0.0.1:%d"}]
                routes:
                  - {name: api, path: /api, service: warmup, rewrite: {strip_prefix: true}}
                  - {name: root, path: /, service: warmup}
                """.formatted(backendPort);
    }

    private static void expect200(String url, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout((int) TIMEOUT.toMillis());
        c.setReadTimeout((int) TIMEOUT.toMillis());
        if (body != null) {
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            try (OutputStream o = c.getOutputStream()) {
                o.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            if (in != null) {
                in.readAllBytes();
            }
        }
        if (status != 200) {
            throw new IOException((body != null ? "POST " : "GET ") + url + " answered " + status + " (expected: 200)");
        }
    }
}
