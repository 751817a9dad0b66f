package dev.switchboard.it;

import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import dev.switchboard.router.runtime.Switchboard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The real router, in-process, on a free loopback port, discovering from the test's agent, plus a
 * plain HTTP client for it. The environment is empty so a developer's {@code CONSUL_HTTP_*} does
 * not leak into the router's settings.
 */
public final class Router implements AutoCloseable {

    public static final ConfigLoader LOADER = ConfigLoader.withEnvironment(Map.of());

    private final Switchboard switchboard;
    private final String yaml;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private Router(Switchboard switchboard, String yaml) {
        this.switchboard = switchboard;
        this.yaml = yaml;
    }

    /** The base config for {@code agent}: listener on 127.0.0.1:0, no admin listener, Consul on with its token. */
    public static String yaml(ConsulAgent agent, String extraConsul) {
        return yaml(agent.httpAddress(), agent.managementToken(), "10s", extraConsul);
    }

    /** The same base config for a Consul reached at {@code address} (e.g. through a proxy) with the given wait time. */
    public static String yaml(String address, String token, String waitTime, String extraConsul) {
        return "listen: {address: 127.0.0.1, port: 0, drain_timeout: 2s}\n"
                + "admin: {enabled: false}\n"
                + "consul:\n"
                + "  enabled: true\n"
                + "  address: \"" + address + "\"\n"
                + (token != null ? "  token: \"" + token + "\"\n" : "")
                + "  wait_time: " + waitTime + "\n"
                + extraConsul;
    }

    public static Router start(ConsulAgent agent) throws Exception {
        return start(yaml(agent, ""));
    }

    public static Router start(String yaml) throws Exception {
        SwitchboardConfig config = LOADER.parse(yaml);
        return new Router(Switchboard.start(config, null), yaml);
    }

    public Switchboard switchboard() {
        return switchboard;
    }

    public String yaml() {
        return yaml;
    }

    public HttpClient client() {
        return client;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + switchboard.port() + path);
    }

    public HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The body of a 200 answer to {@code GET path}, or null for any other outcome. */
    public String body(String path) {
        try {
            HttpResponse<String> r = get(path);
            return r.statusCode() == 200 ? r.body() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        switchboard.close();
    }
}
