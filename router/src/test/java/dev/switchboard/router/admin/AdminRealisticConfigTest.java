package dev.switchboard.router.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.testing.TestBackend;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin listener with a config like a real one (several services, a service whose name contains
 * "token", an IPv6 static backend), and clients that misbehave: cases a hand-run hunt found broken
 * (2026-11-22).
 */
class AdminRealisticConfigTest {

    static TestBackend one;
    static TestBackend two;
    static AdminFixture fx;

    @BeforeAll
    static void start() throws Exception {
        one = TestBackend.start("one");
        two = TestBackend.start("two");
        fx = AdminFixture.start("""
                consul: {enabled: false}
                services:
                  web:
                    instances:
                      - {address: "%s"}
                      - {address: "%s"}
                  auth-token:
                    strategy: least_request
                    instances:
                      - {address: "%s"}
                  cache:
                    instances:
                      - {address: "[::1]:19199"}
                      - {address: "%s"}
                routes:
                  - {name: web, path: /web, service: web}
                  - {name: cache, path: /cache, service: cache}
                  - {name: auth, path: /auth, service: auth-token}
                """.formatted(one.address(), two.address(), two.address(), one.address()));
    }

    @AfterAll
    static void stop() {
        fx.close();
        one.close();
        two.close();
    }

    /** The id that GET /api/v1/backends reports for a static IPv6 backend must be accepted by drain. */
    @Test
    void ipv6StaticBackendFromConfigCanBeDrainedByItsReportedId() throws Exception {
        var list = AdminFixture.json(fx.get("/api/v1/backends?service=cache"));
        String id = null;
        for (var b : list) {
            if (b.get("address").asText().startsWith("[::1]")) {
                id = b.get("id").asText();
            }
        }
        assertThat(id).isNotNull();
        var r = fx.post("/api/v1/backends/drain", "{\"service\":\"cache\",\"backend\":\"" + id + "\"}", AdminFixture.TOKEN);
        assertThat(r.statusCode()).as("drain %s -> %s", id, r.body()).isEqualTo(200);
    }

    /** A GET with a form-encoded body (curl -X GET -d ...) must not make the API answer 500. */
    @Test
    void getWithManyFormParametersInTheBodyIsNot500() throws Exception {
        String form = IntStream.range(0, 1001).mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&"));
        for (String path : new String[] {"/api/v1/routes", "/api/v1/backends", "/admin/healthcheck", "/admin/threads"}) {
            HttpResponse<String> r = fx.send(HttpRequest.newBuilder(fx.admin(path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .method("GET", HttpRequest.BodyPublishers.ofString(form)));
            assertThat(r.statusCode()).as("GET %s with a form body -> %s", path, r.body()).isEqualTo(400);
            assertThat(r.body()).contains("with a request body");
        }
    }

    /** HEAD is GET without the body; the README's monitoring checks use it. */
    @Test
    void headOnAReadEndpointIsAnswered() throws Exception {
        HttpResponse<String> r = fx.send(HttpRequest.newBuilder(fx.admin("/api/v1/routes"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(r.statusCode()).isEqualTo(200);
    }

    /** Adding an address the config already serves must not claim success (and a later remove must not either). */
    @Test
    void addingAConfigBackendAgainIsAConflict() throws Exception {
        var r = fx.post("/api/v1/backends", "{\"service\":\"web\",\"address\":\"" + one.address().split(":")[0]
                + "\",\"port\":" + one.address().split(":")[1] + "}", AdminFixture.TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
    }

    /**
     * Four clients that declare a small body and never finish sending it (no token needed) must not
     * take /live and /ready down: the admin listener has four worker threads and no read timeout.
     */
    @Test
    void slowRequestBodiesDoNotStallTheProbes() throws Exception {
        java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) { // twice the admin listener's worker threads
                java.net.Socket s = new java.net.Socket("127.0.0.1", fx.launcher.adminPort());
                s.getOutputStream().write(("POST /api/v1/backends HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n{").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                held.add(s);
            }
            // Every probe for two seconds answers, whenever the held requests reach the server. A stalled
            // probe never would; the 5 s timeout is only so that a busy machine's hiccup is not taken for one.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> fx.client.send(HttpRequest.newBuilder(fx.admin("/live")).timeout(Duration.ofSeconds(5)).GET().build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        } finally {
            for (java.net.Socket s : held) {
                s.close();
            }
        }
    }

    /** Only secrets are redacted in /api/v1/config, not the whole config of a service whose name contains "token". */
    @Test
    void configOfAServiceNamedLikeASecretIsShown() throws Exception {
        var config = AdminFixture.json(fx.get("/api/v1/config"));
        assertThat(config.get("services").get("auth-token").isObject())
                .as("services.auth-token = %s", config.get("services").get("auth-token")).isTrue();
    }

    /** An empty admin.token (e.g. ${ADMIN_TOKEN:-}) means "unset": fall back to SWITCHBOARD_ADMIN_TOKEN. */
    @Test
    void emptyTokenFallsBackToTheEnvironment() {
        ConfigLoader loader = new ConfigLoader(k -> k.equals("SWITCHBOARD_ADMIN_TOKEN") ? "env-token-0123456789abcdef" : null);
        assertThatCode(() -> loader.parse("admin: {token: \"${ADMIN_TOKEN:-}\"}\n")).doesNotThrowAnyException();
    }

    @Test
    void anIdTheApiDoesNotKnowIs404AndOddButValidIdsAreLookedUp() throws Exception {
        for (String id : new String[] {"node-1.dc.internal/shop+canary#2", "node/img.v2-\u00fc", "static/[::1]:1"}) {
            var r = fx.post("/api/v1/backends/drain", AdminFixture.JSON.writeValueAsString(Map.of("service", "web", "backend", id)),
                    AdminFixture.TOKEN);
            assertThat(r.statusCode()).as("%s -> %s", id, r.body()).isEqualTo(404);
        }
        var r = fx.post("/api/v1/backends/drain", "{\"service\":\"web\",\"backend\":\"no-slash\"}", AdminFixture.TOKEN);
        assertThat(r.statusCode()).isEqualTo(400);
    }

    @Test
    void headOnAWriteOnlyEndpointIsRefusedWithTheReadMethodsNamed() throws Exception {
        HttpResponse<String> r = fx.send(HttpRequest.newBuilder(fx.admin("/api/v1/backends/drain"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        HttpResponse<String> get = fx.send(HttpRequest.newBuilder(fx.admin("/api/v1/reload")).method("PUT", HttpRequest.BodyPublishers.noBody()));
        assertThat(get.headers().firstValue("Allow")).hasValue("GET, HEAD, POST");
    }

    @Test
    void theAdminTokenIsStillRedactedBesideAServiceNamedLikeASecret() throws Exception {
        var config = AdminFixture.json(fx.get("/api/v1/config"));
        assertThat(config.get("admin").get("token").asText()).isEqualTo("<redacted>");
    }

    @Test
    void addingAHostThatDoesNotResolveIs400NotASilentSkip() throws Exception {
        var r = fx.post("/api/v1/backends", "{\"service\":\"web\",\"address\":\"web-9.invalid\",\"port\":8080}", AdminFixture.TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("\"field\":\"address\"").contains("resolves");
    }

    @Test
    void backendsOfAnUnknownServiceAre404() throws Exception {
        var r = fx.get("/api/v1/backends?service=nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("\"field\":\"service\"");
    }
}
