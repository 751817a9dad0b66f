package dev.switchboard.router.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.runtime.Launcher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A router started through {@link Launcher} with its admin listener on a free loopback port. */
final class AdminFixture implements AutoCloseable {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    final Launcher launcher;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private AdminFixture(Launcher launcher) {
        this.launcher = launcher;
    }

    /** {@code yaml} gets a loopback listen section and an admin section with {@link #TOKEN} unless it has them. */
    static AdminFixture start(String yaml) throws Exception {
        return start(yaml, null);
    }

    static AdminFixture start(String yaml, Path file) throws Exception {
        ConfigLoader loader = new ConfigLoader(k -> null);
        var config = file != null ? loader.load(file) : loader.parse(withDefaults(yaml));
        return new AdminFixture(Launcher.start(config, file, loader, Launcher.Options.TEST));
    }

    static String withDefaults(String yaml) {
        String full = yaml.contains("listen:") ? yaml : "listen: {address: 127.0.0.1, port: 0}\n" + yaml;
        return full.contains("admin:") ? full : "admin: {address: 127.0.0.1, port: 0, token: " + TOKEN + "}\n" + full;
    }

    URI admin(String path) {
        return URI.create("http://127.0.0.1:" + launcher.adminPort() + path);
    }

    URI proxy(String path) {
        return URI.create("http://127.0.0.1:" + launcher.switchboard().port() + path);
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(admin(path)).GET());
    }

    HttpResponse<String> proxyGet(String path) throws Exception {
        return send(HttpRequest.newBuilder(proxy(path)).GET());
    }

    HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(admin(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        launcher.close();
    }
}
