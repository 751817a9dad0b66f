package dev.switchboard.it.faults;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.router.runtime.ConfigReloader;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Abuse of the admin API on a real router's admin listener (issue #7), beyond the router module's
 * {@code AdminApiTest} (every endpoint, one example per error): a token that is missing, wrong or
 * sent the wrong way, on every mutation; JSON that is broken, ambiguous or built to exhaust the
 * parser; wrong types; hostile names in bodies, paths and queries; unknown paths and wrong methods
 * anywhere on the listener. Bodies of several MiB are {@link AdminHugeBodyTest}.
 *
 * <p>Every refusal must have the right status and a JSON {@code {"error": …}} that shows no stack
 * trace, class name or backend address; nothing may change (checked after each test); and the proxy
 * must serve a request right after each refusal.
 */
class AdminApiAbuseTest {

    static final String TOKEN = "abuse-test-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    static TestBackend web;
    static TestBackend spare;
    static RouterFixture router;
    static String webId;

    @BeforeAll
    static void start() throws Exception {
        web = TestBackend.start("web");
        spare = TestBackend.start("spare");
        router = launchWithAdmin(TOKEN, web);
        webId = "static/" + web.address();
    }

    @AfterAll
    static void stop() {
        router.close();
        web.close();
        spare.close();
    }

    /** A router launched with its admin listener on a free loopback port, routing everything to {@code web}. */
    static RouterFixture launchWithAdmin(String token, TestBackend web) throws Exception {
        return RouterFixture.launch("""
                admin: {address: 127.0.0.1, port: 0, token: %s}
                services:
                  web: {instances: [{address: "%s"}]}
                routes: [{path: /, service: web}]
                """.formatted(token, web.address()));
    }

    /**
     * No refused request changed anything: one backend, as configured, and no reload attempted.
     * Then undoes what a failure left behind, so that one failing test does not fail the others.
     */
    @AfterEach
    void nothingChanged() throws Exception {
        String backend = "{\"service\":\"web\",\"backend\":\"" + webId + "\"";
        try {
            JsonNode backends = JSON.readTree(send("GET", "/api/v1/backends", List.of(), null).body());
            assertThat(backends).hasSize(1);
            assertThat(backends.get(0).get("id").asText()).isEqualTo(webId);
            assertThat(backends.get(0).get("draining").asBoolean()).isFalse();
            assertThat(backends.get(0).get("weight_overridden").asBoolean()).isFalse();
            ConfigReloader.Status reloads = router.launcher().reloader().status();
            assertThat(reloads.successes() + reloads.failures()).as("reloads attempted").isZero();
        } finally {
            post("/api/v1/backends/undrain", backend + "}");
            post("/api/v1/backends/weight", backend + ",\"weight\":0}");
            post("/api/v1/backends/remove", "{\"service\":\"web\",\"backend\":\"static/" + spare.address() + "\"}");
        }
    }

    static Wire.Reply send(String method, String target, List<String> headers, byte[] body) throws Exception {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n");
        headers.forEach(h -> head.append(h).append("\r\n"));
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(head.append("\r\n").toString().getBytes(ISO_8859_1));
        if (body != null) {
            request.write(body);
        }
        return Wire.exchange(router.adminPort(), request.toByteArray(), 5000);
    }

    /** POST with the right token. */
    static Wire.Reply post(String path, String json) throws Exception {
        return post(path, json.getBytes(UTF_8));
    }

    static Wire.Reply post(String path, byte[] body) throws Exception {
        return send("POST", path, List.of("Authorization: Bearer " + TOKEN), body);
    }

    /**
     * {@code status} with a JSON {@code {"error": …}} (naming {@code field} when not null), nothing
     * internal in the bytes, and then a request through the proxy still served.
     */
    static JsonNode refused(Wire.Reply r, int status, String field) throws Exception {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/json");
        JsonNode json = JSON.readTree(r.body());
        assertThat(json.path("error").isTextual()).as(r.toString()).isTrue();
        if (field != null) {
            assertThat(json.path("field").asText()).as(r.toString()).isEqualTo(field);
        }
        assertThat(r.raw()).as(r.toString()).doesNotContain("Exception", "\tat ", "java.", "io.undertow", "dev.switchboard",
                String.valueOf(web.port()));
        var proxied = router.get("/after");
        assertThat(proxied.statusCode()).isEqualTo(200);
        assertThat(proxied.body()).isEqualTo("web GET /after\n");
        return json;
    }

    @Test
    void everyMutationWithoutTheRightBearerTokenIs401AndChangesNothing() throws Exception {
        String backend = "{\"service\":\"web\",\"backend\":\"" + webId + "\"}";
        Map<String, String> mutations = new LinkedHashMap<>();
        mutations.put("/api/v1/backends", "{\"service\":\"web\",\"address\":\"127.0.0.1\",\"port\":" + spare.port() + "}");
        mutations.put("/api/v1/backends/remove", backend);
        mutations.put("/api/v1/backends/drain", backend);
        mutations.put("/api/v1/backends/undrain", backend);
        mutations.put("/api/v1/backends/weight", "{\"service\":\"web\",\"backend\":\"" + webId + "\",\"weight\":7}");
        mutations.put("/api/v1/reload", "");
        List<List<String>> wrong = List.of(
                List.of(),
                List.of("Authorization: Bearer"),
                List.of("Authorization: Bearer wrong"),
                List.of("Authorization: Bearer " + TOKEN + "x"),
                List.of("Authorization: Bearer " + TOKEN.substring(1)),
                List.of("Authorization: Bearer " + TOKEN.toUpperCase(Locale.ROOT)),
                List.of("Authorization: " + TOKEN),
                List.of("Authorization: Token " + TOKEN),
                List.of("Authorization: Basic " + Base64.getEncoder().encodeToString(("admin:" + TOKEN).getBytes(UTF_8))),
                List.of("X-Admin-Token: " + TOKEN),
                List.of("Cookie: token=" + TOKEN),
                List.of("Authorization: Bearer wrong", "Authorization: Bearer " + TOKEN));
        for (Map.Entry<String, String> m : mutations.entrySet()) {
            byte[] body = m.getValue().getBytes(UTF_8);
            for (List<String> headers : wrong) {
                Wire.Reply r = send("POST", m.getKey(), headers, body);
                refused(r, 401, null);
                assertThat(r.header("WWW-Authenticate")).as(r.toString()).startsWith("Bearer");
            }
            for (String query : List.of("?token=", "?access_token=")) {
                refused(send("POST", m.getKey() + query + TOKEN, List.of(), body), 401, null);
            }
        }
        // Control: the right token does change what the checks look at.
        assertThat(post("/api/v1/backends/drain", backend).status()).isEqualTo(200);
        assertThat(JSON.readTree(send("GET", "/api/v1/backends", List.of(), null).body()).get(0).get("draining").asBoolean()).isTrue();
        assertThat(post("/api/v1/backends/undrain", backend).status()).isEqualTo(200);
    }

    @Test
    void brokenAmbiguousOrExhaustingJsonIs400AndNothingIsApplied() throws Exception {
        String drain = "{\"service\":\"web\",\"backend\":\"" + webId + "\"}";
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("empty", new byte[0]);
        bodies.put("cut short", "{\"service\":\"web\",".getBytes(UTF_8));
        bodies.put("single quotes", "{'service':'web'}".getBytes(UTF_8));
        bodies.put("a comment", ("{/* x */" + drain.substring(1)).getBytes(UTF_8));
        // Each of these three used to be applied: Jackson's readTree stops after the first value
        // and keeps the last of two equal keys.
        bodies.put("data after the object", (drain + " and more").getBytes(UTF_8));
        bodies.put("two objects", (drain + drain).getBytes(UTF_8));
        bodies.put("a field twice", ("{\"service\":\"nope\",\"service\":\"web\",\"backend\":\"" + webId + "\"}").getBytes(UTF_8));
        // These three used to be 500s (a NullPointerException and a CharConversionException).
        bodies.put("arrays nested 5,000 deep", "[".repeat(5000).getBytes(UTF_8));
        bodies.put("a 5,000-digit number", ("{\"service\":\"web\",\"backend\":\"x/y\",\"weight\":" + "9".repeat(5000) + "}").getBytes(UTF_8));
        bodies.put("UTF-32 with an invalid code point", new byte[] {0, 0, 0, '{', 0, 0, 0, '"', -1, -1, -1, -1});
        bodies.put("objects nested 3,000 deep", "{\"a\":".repeat(3000).getBytes(UTF_8));
        bodies.put("invalid UTF-8", new byte[] {'{', '"', -1, -2, '"', ':', '1', '}'});
        bodies.put("NUL bytes", new byte[64]);
        for (Map.Entry<String, byte[]> b : bodies.entrySet()) {
            Wire.Reply r = post("/api/v1/backends/drain", b.getValue());
            JsonNode json = refused(r, 400, "body");
            assertThat(json.get("error").asText()).as(b.getKey()).startsWith("body: ");
        }
    }

    @Test
    void wrongTypesAndUnknownFieldsAre400NamingTheField() throws Exception {
        String id = "\"backend\":\"" + webId + "\"";
        Map<String, String> cases = new LinkedHashMap<>();
        for (String v : List.of("7", "true", "[\"web\"]", "{\"name\":\"web\"}", "null")) {
            cases.put("/api/v1/backends/drain {\"service\":" + v + "," + id + "}", "service");
        }
        for (String v : List.of("7", "false", "[\"x/y\"]", "null")) {
            cases.put("/api/v1/backends/drain {\"service\":\"web\",\"backend\":" + v + "}", "backend");
        }
        for (String v : List.of("7.5", "1e3", "\"7\"", "true", "[7]", "2147483648", "-1", "10001")) {
            cases.put("/api/v1/backends/weight {\"service\":\"web\"," + id + ",\"weight\":" + v + "}", "weight");
        }
        for (String v : List.of("\"80\"", "80.0", "0", "65536", "1e10", "null")) {
            cases.put("/api/v1/backends {\"service\":\"web\",\"address\":\"127.0.0.1\",\"port\":" + v + "}", "port");
        }
        for (String v : List.of("2130706433", "[\"127.0.0.1\"]", "{}")) {
            cases.put("/api/v1/backends {\"service\":\"web\",\"address\":" + v + ",\"port\":80}", "address");
        }
        for (String f : List.of("force", "Service", "__proto__", "")) {
            cases.put("/api/v1/backends/drain {\"service\":\"web\"," + id + ",\"" + f + "\":true}", f);
        }
        for (Map.Entry<String, String> c : cases.entrySet()) {
            int space = c.getKey().indexOf(' ');
            refused(post(c.getKey().substring(0, space), c.getKey().substring(space + 1)), 400, c.getValue());
        }
    }

    static final List<String> HOSTILE = List.of(
            "../../etc/passwd", "..\\..\\windows", "static/../../x", "%2e%2e%2f",
            "we\u0000b", "we\r\nX-Injected: 1", "\u001b[31mred", "a".repeat(10_000),
            "w\u00e9b", "w\u0435b", "web\u202e", "web\u200b", "\uD83D\uDE00", "\uff57\uff45\uff42",
            "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "${jndi:ldap://x/a}");

    /** Escaped as JSON and by the API: no raw markup or control character, and short whatever came in. */
    static void echoedSafely(Wire.Reply r) {
        String body = new String(r.body().getBytes(ISO_8859_1), UTF_8);
        assertThat(body).as(r.toString()).doesNotContain("<", ">").hasSizeLessThan(1000);
        assertThat(body.chars().filter(c -> c < 0x20)).as(r.toString()).isEmpty();
    }

    @Test
    void hostileNamesAreRefusedAndNeverEchoedRaw() throws Exception {
        for (String name : HOSTILE) {
            String q = JSON.writeValueAsString(name);
            List<Wire.Reply> replies = new ArrayList<>();
            replies.add(post("/api/v1/backends/drain", "{\"service\":" + q + ",\"backend\":\"x/y\"}"));
            refused(replies.get(replies.size() - 1), 400, "service");
            replies.add(post("/api/v1/backends/weight", "{\"service\":\"web\",\"backend\":" + q + ",\"weight\":2}"));
            // Backend ids are only looked up (Consul's may hold almost anything): one shaped node/id is
            // 404 when unknown, anything else 400 — echoed safely either way.
            boolean shapedLikeAnId = name.indexOf('/') > 0 && name.length() <= 401 && name.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
            refused(replies.get(replies.size() - 1), shapedLikeAnId ? 404 : 400, "backend");
            replies.add(post("/api/v1/backends", "{\"service\":" + q + ",\"address\":\"127.0.0.1\",\"port\":" + spare.port() + "}"));
            refused(replies.get(replies.size() - 1), 400, "service");
            replies.add(post("/api/v1/backends", "{\"service\":\"web\",\"address\":" + q + ",\"port\":" + spare.port() + "}"));
            refused(replies.get(replies.size() - 1), 400, "address");
            // An unknown field's name used to come back raw (markup and all, 10,000 characters) in "field".
            replies.add(post("/api/v1/backends/drain", "{" + q + ":1}"));
            JsonNode unknown = refused(replies.get(replies.size() - 1), 400, null);
            assertThat(unknown.get("field").asText()).hasSizeLessThanOrEqualTo(65 * 6);
            String encoded = URLEncoder.encode(name, UTF_8).replace("+", "%20");
            replies.add(send("GET", "/api/v1/" + encoded, List.of(), null));
            refused(replies.get(replies.size() - 1), 404, null);
            // No service is called that: 404 naming the field, the name echoed safely.
            replies.add(send("GET", "/api/v1/backends?service=" + encoded, List.of(), null));
            refused(replies.get(replies.size() - 1), 404, "service");
            for (Wire.Reply r : replies) {
                echoedSafely(r);
            }
        }
    }

    @Test
    void unknownPathsAnywhereOnTheListenerAre404Json() throws Exception {
        for (String path : List.of("/nope", "/admin/nope", "/api/v2/routes", "/api/v1", "/api/v1/", "/api/v1/routes/",
                "/api/v1/ROUTES", "/api/v1/backends/drain/x", "/api/v1/../admin/threads", "/api/v1/%2e%2e/admin/threads",
                "/index.html/..", "/error")) {
            Wire.Reply r = send("GET", path, List.of(), null);
            refused(r, 404, null);
            assertThat(r.body()).as("not the thread dump").doesNotContain("Thread");
        }
    }

    @Test
    void wrongMethodsAre405JsonWithAllowAndChangeNothing() throws Exception {
        String drain = "{\"service\":\"web\",\"backend\":\"" + webId + "\"}";
        List<String> auth = List.of("Authorization: Bearer " + TOKEN);
        Map<String, String> allow = new LinkedHashMap<>();
        allow.put("/api/v1/backends/drain", "POST");
        allow.put("/api/v1/backends/weight", "POST");
        allow.put("/api/v1/reload", "GET, HEAD, POST");
        allow.put("/api/v1/routes", "GET, HEAD");
        for (Map.Entry<String, String> a : allow.entrySet()) {
            for (String method : List.of("GET", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND")) {
                if (a.getValue().contains(method)) {
                    continue;
                }
                Wire.Reply r = send(method, a.getKey(), auth, method.equals("GET") ? null : drain.getBytes(UTF_8));
                refused(r, 405, null);
                assertThat(r.header("Allow")).as(r.toString()).isEqualTo(a.getValue());
            }
        }
        // Outside /api/v1 the listener is read-only. TRACE used to be answered there by echoing the
        // request's headers, the bearer token with them.
        for (String path : List.of("/", "/live", "/ready", "/metrics", "/admin/ping", "/admin/threads", "/dashboard.js", "/nope")) {
            for (String method : List.of("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")) {
                Wire.Reply r = send(method, path, auth, method.equals("TRACE") ? null : drain.getBytes(UTF_8));
                refused(r, 405, null);
                assertThat(r.header("Allow")).as(r.toString()).isEqualTo("GET, HEAD");
                assertThat(r.raw()).as(r.toString()).doesNotContain(TOKEN);
            }
        }
    }

    @Test
    void malformedPercentEncodingGetsUndertowsBare400() throws Exception {
        // The one refusal that is not JSON: Undertow's parser rejects the request line before any
        // handler runs, with an empty 400, and closes. Nothing leaks and the listener keeps serving.
        for (String target : List.of("/api/v1/backends?service=%zz", "/%zz", "/admin/healthcheck?%")) {
            Wire.Reply r = send("GET", target, List.of(), null);
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.body()).isEmpty();
            assertThat(r.closed()).isTrue();
            assertThat(send("GET", "/api/v1/routes", List.of(), null).status()).isEqualTo(200);
        }
    }
}
