package dev.switchboard.router.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.testing.TestBackend;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every API endpoint, every error status, and the token rules, against a running router. */
class AdminApiTest {

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
                routes:
                  - {name: web, path: /, service: web}
                """.formatted(one.address()));
    }

    @AfterAll
    static void stop() {
        fx.close();
        one.close();
        two.close();
    }

    private static Backend backend(String service, String id) {
        return fx.launcher.switchboard().registry().membership(service).backends().stream()
                .filter(b -> b.id().toString().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void readsRoutesAsJsonAndCanonicalText() throws Exception {
        var json = AdminFixture.json(fx.get("/api/v1/routes"));
        assertThat(json.get("routes")).hasSize(1);
        assertThat(json.get("routes").get(0).get("name").asText()).isEqualTo("web");
        assertThat(json.get("routes").get(0).get("targets").get(0).get("service").asText()).isEqualTo("web");
        var text = fx.get("/api/v1/routes?format=text");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(text.body()).isEqualTo(fx.launcher.switchboard().routingState().table().describe());
    }

    @Test
    void readsServicesBackendsDiscoveryConfigAndReloadStatus() throws Exception {
        JsonNode services = AdminFixture.json(fx.get("/api/v1/services"));
        assertThat(services.findValuesAsText("name")).contains("web");
        JsonNode backends = AdminFixture.json(fx.get("/api/v1/backends?service=web"));
        JsonNode b = backends.get(0);
        assertThat(b.get("address").asText()).isEqualTo(one.address());
        assertThat(b.get("source").asText()).isEqualTo("static");
        assertThat(b.get("circuit").asText()).isIn("closed", "disabled");
        assertThat(b.has("in_flight")).isTrue();
        assertThat(b.has("ewma_millis")).isTrue();
        assertThat(b.has("effective_weight")).isTrue();
        assertThat(b.get("healthy").asBoolean()).isTrue();
        JsonNode discovery = AdminFixture.json(fx.get("/api/v1/discovery"));
        assertThat(discovery.get("source").asText()).isEqualTo("static");
        assertThat(discovery.get("ready").asBoolean()).isTrue();
        var config = fx.get("/api/v1/config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).doesNotContain(AdminFixture.TOKEN).contains("<redacted>");
        assertThat(AdminFixture.json(config).get("admin").get("token").asText()).isEqualTo("<redacted>");
        assertThat(AdminFixture.json(fx.get("/api/v1/reload")).has("status")).isTrue();
    }

    @Test
    void addsAndRemovesAnApiBackend() throws Exception {
        String add = "{\"service\":\"web\",\"address\":\"127.0.0.1\",\"port\":" + two.port() + ",\"weight\":2}";
        var created = fx.post("/api/v1/backends", add, AdminFixture.TOKEN);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = "static/" + two.address();
        assertThat(AdminFixture.json(fx.get("/api/v1/backends?service=web")).findValuesAsText("id")).contains(id);
        assertThat(AdminFixture.json(fx.get("/api/v1/backends?service=web")).findParents("id").stream()
                .filter(n -> n.get("id").asText().equals(id)).findFirst().orElseThrow().get("source").asText()).isEqualTo("api");

        var removed = fx.post("/api/v1/backends/remove", "{\"service\":\"web\",\"backend\":\"" + id + "\"}", AdminFixture.TOKEN);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        assertThat(AdminFixture.json(fx.get("/api/v1/backends?service=web")).findValuesAsText("id")).doesNotContain(id);

        var again = fx.post("/api/v1/backends/remove", "{\"service\":\"web\",\"backend\":\"" + id + "\"}", AdminFixture.TOKEN);
        assertThat(again.statusCode()).isEqualTo(404);
        var configBackend = fx.post("/api/v1/backends/remove", "{\"service\":\"web\",\"backend\":\"static/" + one.address() + "\"}", AdminFixture.TOKEN);
        assertThat(configBackend.statusCode()).isEqualTo(409);
        assertThat(AdminFixture.json(configBackend).get("field").asText()).isEqualTo("backend");
    }

    @Test
    void drainStopsNewRequestsAndUndrainRestores() throws Exception {
        String id = "static/" + one.address();
        String body = "{\"service\":\"web\",\"backend\":\"" + id + "\"}";
        var drained = fx.post("/api/v1/backends/drain", body, AdminFixture.TOKEN);
        assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
        assertThat(AdminFixture.json(drained).get("backend").get("draining").asBoolean()).isTrue();
        assertThat(AdminFixture.json(drained).get("backend").get("available").asBoolean()).as("takes no new requests").isFalse();
        assertThat(backend("web", id).isDraining()).isTrue();
        int before = one.requests();
        assertThat(fx.proxyGet("/x").statusCode()).isEqualTo(503);
        assertThat(one.requests()).isEqualTo(before);

        var undrained = fx.post("/api/v1/backends/undrain", body, AdminFixture.TOKEN);
        assertThat(undrained.statusCode()).isEqualTo(200);
        assertThat(AdminFixture.json(undrained).get("backend").get("available").asBoolean()).isTrue();
        assertThat(fx.proxyGet("/x").statusCode()).isEqualTo(200);
    }

    @Test
    void setsAndClearsAWeightOverride() throws Exception {
        String id = "static/" + one.address();
        var set = fx.post("/api/v1/backends/weight", "{\"service\":\"web\",\"backend\":\"" + id + "\",\"weight\":7}", AdminFixture.TOKEN);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(backend("web", id).weight()).isEqualTo(7);
        assertThat(AdminFixture.json(set).get("backend").get("weight_overridden").asBoolean()).isTrue();
        fx.post("/api/v1/backends/weight", "{\"service\":\"web\",\"backend\":\"" + id + "\",\"weight\":0}", AdminFixture.TOKEN);
        assertThat(backend("web", id).hasWeightOverride()).isFalse();
    }

    @Test
    void mutationsNeedTheBearerToken() throws Exception {
        String body = "{\"service\":\"web\",\"backend\":\"static/" + one.address() + "\"}";
        var missing = fx.post("/api/v1/backends/drain", body, null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(fx.post("/api/v1/backends/drain", body, "wrong").statusCode()).isEqualTo(401);
        assertThat(fx.post("/api/v1/backends/drain", body, AdminFixture.TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(backend("web", "static/" + one.address()).isDraining()).isFalse();
    }

    @Test
    void aReloadThroughTheApiSaysWhetherItWasApplied(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchboard.yaml");
        String valid = AdminFixture.withDefaults("services: {s: {instances: [{address: \"" + one.address() + "\"}]}}\nroutes: [{path: /%s, service: s}]\n");
        Files.writeString(file, valid.formatted("a"));
        try (AdminFixture reloading = AdminFixture.start(null, file)) {
            Files.writeString(file, valid.formatted("a").replace("service: s}", "service: nope}"));
            var refused = reloading.post("/api/v1/reload", "", AdminFixture.TOKEN);
            assertThat(refused.statusCode()).isEqualTo(422);
            JsonNode body = AdminFixture.json(refused);
            assertThat(body.get("applied").asBoolean()).isFalse();
            assertThat(body.get("error").asText()).startsWith("config not applied, the running one stays: ").contains("nope");
            assertThat(body.get("status").get("failures").asLong()).isEqualTo(1);
            assertThat(reloading.proxyGet("/a").statusCode()).isEqualTo(200);

            Files.writeString(file, valid.formatted("b"));
            var applied = reloading.post("/api/v1/reload", "", AdminFixture.TOKEN);
            assertThat(applied.statusCode()).isEqualTo(200);
            assertThat(AdminFixture.json(applied).get("applied").asBoolean()).isTrue();
            assertThat(AdminFixture.json(applied).has("error")).isFalse();
            assertThat(reloading.proxyGet("/b").statusCode()).isEqualTo(200);
            assertThat(reloading.proxyGet("/a").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void mutationsAreForbiddenWithoutAConfiguredToken() throws Exception {
        try (AdminFixture open = AdminFixture.start("admin: {address: 127.0.0.1, port: 0}\nservices: {s: {instances: [{address: \"" + one.address() + "\"}]}}\nroutes: [{path: /, service: s}]\n")) {
            var r = open.post("/api/v1/reload", "", "anything");
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(AdminFixture.json(r).get("error").asText()).contains("admin.token", "SWITCHBOARD_ADMIN_TOKEN");
            assertThat(open.get("/api/v1/routes").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void unknownResourceIs404AndWrongMethodIs405() throws Exception {
        assertThat(fx.get("/api/v1/nope").statusCode()).isEqualTo(404);
        assertThat(AdminFixture.json(fx.get("/api/v1/nope")).has("error")).isTrue();
        var wrong = fx.send(HttpRequest.newBuilder(fx.admin("/api/v1/routes")).DELETE());
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(fx.post("/api/v1/services", "{}", AdminFixture.TOKEN).statusCode()).isEqualTo(405);
    }

    @Test
    void badInputIs400NamingTheField() throws Exception {
        String id = "static/" + one.address();
        assertError(fx.post("/api/v1/backends/drain", "{\"service\":\"web\",\"backend\":\"" + id + "\",\"color\":1}", AdminFixture.TOKEN), 400, "color");
        assertError(fx.post("/api/v1/backends/drain", "{\"backend\":\"" + id + "\"}", AdminFixture.TOKEN), 400, "service");
        assertError(fx.post("/api/v1/backends/weight", "{\"service\":\"web\",\"backend\":\"" + id + "\",\"weight\":-1}", AdminFixture.TOKEN), 400, "weight");
        assertError(fx.post("/api/v1/backends/weight", "{\"service\":\"web\",\"backend\":\"" + id + "\",\"weight\":\"7\"}", AdminFixture.TOKEN), 400, "weight");
        assertError(fx.post("/api/v1/backends", "{\"service\":\"web\",\"address\":\"127.0.0.1\",\"port\":70000}", AdminFixture.TOKEN), 400, "port");
        assertError(fx.post("/api/v1/backends/drain", "{not json", AdminFixture.TOKEN), 400, "body");
        assertError(fx.post("/api/v1/backends/drain", "[1]", AdminFixture.TOKEN), 400, "body");
        assertError(fx.post("/api/v1/backends/drain", "{\"service\":\"nope\",\"backend\":\"" + id + "\"}", AdminFixture.TOKEN), 404, "service");
        assertError(fx.post("/api/v1/backends/drain", "{\"service\":\"web\",\"backend\":\"static/10.9.9.9:1\"}", AdminFixture.TOKEN), 404, "backend");
    }

    @Test
    void hostileNamesAreRejectedAndNeverEchoedRaw() throws Exception {
        for (String hostile : List.of("../../etc/passwd", "we\u0001b", "<script>alert(1)</script>", "a".repeat(10_000))) {
            String escaped = AdminFixture.JSON.writeValueAsString(hostile);
            var r = fx.post("/api/v1/backends/drain", "{\"service\":" + escaped + ",\"backend\":\"static/x:1\"}", AdminFixture.TOKEN);
            assertError(r, 400, "service");
            assertThat(r.body()).doesNotContain("<script>").doesNotContain("\u0001").hasSizeLessThan(400);
            // Backend ids are only looked up (Consul's may hold almost anything): malformed ones are 400,
            // the rest 404, and neither echoes the id raw.
            var b = fx.post("/api/v1/backends/drain", "{\"service\":\"web\",\"backend\":" + escaped + "}", AdminFixture.TOKEN);
            assertError(b, hostile.contains("/") && hostile.length() < 400 ? 404 : 400, "backend");
            assertThat(b.body()).doesNotContain("<script>").doesNotContain("\u0001").hasSizeLessThan(400);
            var add = fx.post("/api/v1/backends", "{\"service\":\"web\",\"address\":" + escaped + ",\"port\":80}", AdminFixture.TOKEN);
            assertError(add, 400, "address");
        }
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        String big = "{\"service\":\"" + "a".repeat(70_000) + "\"}";
        assertError(fx.post("/api/v1/backends/drain", big, AdminFixture.TOKEN), 413, "body");
    }

    private static void assertError(HttpResponse<String> r, int status, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode json = AdminFixture.json(r);
        assertThat(json.get("field").asText()).isEqualTo(field);
        assertThat(json.get("error").asText()).contains(field);
    }
}
