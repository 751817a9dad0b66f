package dev.switchboard.router.testing;

import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import dev.switchboard.router.runtime.Switchboard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Starts a real router on a free loopback port from YAML, and offers a plain HTTP client for it. */
public final class RouterFixture implements AutoCloseable {

    private final Switchboard switchboard;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private RouterFixture(Switchboard switchboard) {
        this.switchboard = switchboard;
    }

    /** {@code yaml} without a listen section gets {@code 127.0.0.1:0}; admin is off unless configured. */
    public static RouterFixture start(String yaml) throws Exception {
        String full = yaml.contains("listen:") ? yaml : "listen: {address: 127.0.0.1, port: 0}\n" + yaml;
        if (!full.contains("admin:")) {
            full = "admin: {enabled: false}\n" + full;
        }
        SwitchboardConfig config = new ConfigLoader().parse(full);
        return new RouterFixture(Switchboard.start(config, null));
    }

    public Switchboard switchboard() {
        return switchboard;
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
        switchboard.close();
    }
}
