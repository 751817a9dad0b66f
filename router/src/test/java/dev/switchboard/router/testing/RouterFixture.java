package dev.switchboard.router.testing;

import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import dev.switchboard.router.runtime.Launcher;
import dev.switchboard.router.runtime.Switchboard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Starts a real router on a free loopback port from YAML, and offers a plain HTTP client for it.
 * {@link #start} runs the proxy alone; {@link #launch} starts it as the CLI does, through
 * {@link Launcher}, with the admin listener, metrics and access log when the config has them.
 */
public final class RouterFixture implements AutoCloseable {

    private final Switchboard switchboard;
    private final Launcher launcher;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private RouterFixture(Switchboard switchboard, Launcher launcher) {
        this.switchboard = switchboard;
        this.launcher = launcher;
    }

    /** {@code yaml} without a listen section gets {@code 127.0.0.1:0}; admin is off unless configured. */
    public static RouterFixture start(String yaml) throws Exception {
        SwitchboardConfig config = new ConfigLoader().parse(withDefaults(yaml));
        return new RouterFixture(Switchboard.start(config, null), null);
    }

    /** A router with one service {@code s}, of {@code backend} alone, and one route: every path to it. */
    public static RouterFixture routingAllTo(TestBackend backend) throws Exception {
        return start("""
                services:
                  s:
                    instances: [{address: "%s"}]
                routes:
                  - {path: /, service: s}
                """.formatted(backend.address()));
    }

    /**
     * Like {@link #start}, but through {@link Launcher} with an empty environment (a developer's
     * {@code SWITCHBOARD_ADMIN_TOKEN} does not leak in): an {@code admin} section in {@code yaml}
     * starts the admin listener, e.g. {@code admin: {address: 127.0.0.1, port: 0, token: …}}.
     */
    public static RouterFixture launch(String yaml) throws Exception {
        ConfigLoader loader = new ConfigLoader(k -> null);
        Launcher launcher = Launcher.start(loader.parse(withDefaults(yaml)), null, loader, Launcher.Options.TEST);
        return new RouterFixture(launcher.switchboard(), launcher);
    }

    private static String withDefaults(String yaml) {
        String full = yaml.contains("listen:") ? yaml : "listen: {address: 127.0.0.1, port: 0}\n" + yaml;
        return full.contains("admin:") ? full : "admin: {enabled: false}\n" + full;
    }

    public Switchboard switchboard() {
        return switchboard;
    }

    /** The launcher of a {@link #launch}ed router. */
    public Launcher launcher() {
        if (launcher == null) {
            throw new IllegalStateException("started without Launcher: use RouterFixture.launch");
        }
        return launcher;
    }

    /** The admin listener's port (a {@link #launch}ed router with admin enabled). */
    public int adminPort() {
        int port = launcher().adminPort();
        if (port < 0) {
            throw new IllegalStateException("the admin listener is disabled in this config");
        }
        return port;
    }

    /** {@code http://127.0.0.1:<admin port><pathAndQuery>}. */
    public URI adminUri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + adminPort() + pathAndQuery);
    }

    public int port() {
        return switchboard.port();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public HttpClient client() {
        return client;
    }

    public HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        if (launcher != null) {
            launcher.close();
        } else {
            switchboard.close();
        }
    }
}
