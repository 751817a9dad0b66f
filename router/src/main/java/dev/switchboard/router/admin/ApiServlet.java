package dev.switchboard.router.admin;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.switchboard.router.runtime.Switchboard;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API under {@code /api/v1}: dispatch, method checks, the bearer token for mutations, the
 * body size limit and error answers. The work is in {@link ApiViews} and {@link ApiMutations}.
 */
final class ApiServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(ApiServlet.class);
    static final String PREFIX = "/api/v1";
    static final String JSON_TYPE = "application/json;charset=utf-8";
    static final int MAX_BODY = 64 * 1024;
    /** Strict: one value and nothing after it, no field twice (a second "service" must not silently win). */
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private record Endpoint(Set<String> methods) {
    }

    private static final Map<String, Endpoint> ENDPOINTS = Map.of(
            "/routes", new Endpoint(Set.of("GET")),
            "/services", new Endpoint(Set.of("GET")),
            "/backends", new Endpoint(Set.of("GET", "POST")),
            "/backends/remove", new Endpoint(Set.of("POST")),
            "/backends/drain", new Endpoint(Set.of("POST")),
            "/backends/undrain", new Endpoint(Set.of("POST")),
            "/backends/weight", new Endpoint(Set.of("POST")),
            "/discovery", new Endpoint(Set.of("GET")),
            "/config", new Endpoint(Set.of("GET")),
            "/reload", new Endpoint(Set.of("GET", "POST")));

    private final transient Switchboard sb;
    private final transient ApiViews views;
    private final transient ApiMutations mutations;

    ApiServlet(Switchboard sb, ApiViews views, ApiMutations mutations) {
        this.sb = sb;
        this.views = views;
        this.mutations = mutations;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        String method = req.getMethod();
        try {
            Endpoint e = ENDPOINTS.get(path);
            if (e == null) {
                throw new ApiException(404, null, "no such resource: " + Json.quoteShort(path));
            }
            // HEAD is a GET whose body Undertow drops (it keeps the headers and the length).
            boolean read = method.equals("GET") || method.equals("HEAD");
            if (!e.methods().contains(read ? "GET" : method)) {
                List<String> allowed = e.methods().stream().flatMap(m -> m.equals("GET") ? Stream.of("GET", "HEAD") : Stream.of(m))
                        .sorted().toList();
                resp.setHeader("Allow", String.join(", ", allowed));
                throw new ApiException(405, null, "method " + Json.quoteShort(method) + " not allowed on " + path
                        + " (expected: " + String.join(" or ", allowed) + ")");
            }
            if (read) {
                read(path, req, resp);
            } else {
                authorize(req);
                JsonNode body = path.equals("/reload") ? null : body(req);
                ApiMutations.Reply reply = mutate(path, body);
                if (reply.status() < 300) {
                    log.info("admin api: {} {} from {} applied: {}", method, path, req.getRemoteAddr(), summary(body));
                }
                write(resp, reply.status(), reply.body());
            }
        } catch (ApiException e) {
            if (!method.equals("GET") && !method.equals("HEAD") && e.status() != 404 && e.status() != 405) {
                log.info("admin api: {} {} from {} refused ({}): {}", method, path, req.getRemoteAddr(), e.status(), e.getMessage());
            }
            if (e.status() == 401) {
                resp.setHeader("WWW-Authenticate", "Bearer realm=\"switchboard-admin\"");
            }
            write(resp, e.status(), e.body());
        } catch (Exception e) {
            log.warn("admin api: {} {} failed: {}", method, path, e.toString());
            write(resp, 500, Map.of("error", "internal error: " + e.getClass().getSimpleName()));
        }
    }

    private void read(String path, HttpServletRequest req, HttpServletResponse resp) throws IOException, ApiException {
        switch (path) {
            case "/routes" -> {
                if ("text".equals(req.getParameter("format"))) {
                    resp.setContentType("text/plain;charset=utf-8");
                    resp.getOutputStream().write(views.routesText().getBytes(StandardCharsets.UTF_8));
                    return;
                }
                write(resp, 200, views.routes());
            }
            case "/services" -> write(resp, 200, views.services());
            case "/backends" -> write(resp, 200, views.backends(req.getParameter("service")));
            case "/discovery" -> write(resp, 200, views.discovery());
            case "/config" -> write(resp, 200, views.config());
            case "/reload" -> write(resp, 200, views.reload());
            default -> throw new ApiException(404, null, "no such resource");
        }
    }

    private ApiMutations.Reply mutate(String path, JsonNode body) throws Exception {
        return switch (path) {
            case "/backends" -> new ApiMutations.Reply(201, mutations.add(body));
            case "/backends/remove" -> new ApiMutations.Reply(200, mutations.remove(body));
            case "/backends/drain" -> new ApiMutations.Reply(200, mutations.drain(body, true));
            case "/backends/undrain" -> new ApiMutations.Reply(200, mutations.drain(body, false));
            case "/backends/weight" -> new ApiMutations.Reply(200, mutations.weight(body));
            case "/reload" -> mutations.reload();
            default -> throw new ApiException(404, null, "no such resource");
        };
    }

    /** Bearer token from the current config, compared in constant time (over SHA-256 digests). */
    private void authorize(HttpServletRequest req) throws ApiException {
        ApiException refused = refusal(req.getHeader("Authorization"), sb.config().admin().token());
        if (refused != null) {
            throw refused;
        }
    }

    /** Why a change with this Authorization header is refused (403 no token configured, 401), or null. */
    static ApiException refusal(String authorization, String token) {
        if (token == null || token.isBlank()) {
            return new ApiException(403, null, "changes through the API are disabled: no admin token is configured "
                    + "(set admin.token in the config or the SWITCHBOARD_ADMIN_TOKEN environment variable)");
        }
        String given = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : "";
        if (!MessageDigest.isEqual(sha256(given), sha256(token))) {
            return new ApiException(401, null, given.isEmpty()
                    ? "missing bearer token (expected: Authorization: Bearer <admin token>)"
                    : "wrong bearer token");
        }
        return null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * At most {@link #MAX_BODY} + 1 bytes, read without closing the stream: closing would read the
     * rest of an oversized body before the 413 could go out. Undertow discards that rest after the
     * answer has been sent (up to {@link AdminServer#MAX_DISCARD}; beyond, it closes the connection).
     */
    private static JsonNode body(HttpServletRequest req) throws IOException, ApiException {
        if (req.getContentLengthLong() > MAX_BODY) {
            throw ApiException.tooLarge(req.getContentLengthLong() + " bytes", MAX_BODY);
        }
        byte[] bytes = req.getInputStream().readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw ApiException.tooLarge("more than " + MAX_BODY + " bytes", MAX_BODY);
        }
        if (bytes.length == 0) {
            throw new ApiException(400, "body", "body: empty (expected: a JSON object)");
        }
        try {
            return READER.readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw new ApiException(400, "body", "body: nested too deeply or a number or string too long (expected: a flat JSON object)");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ApiException(400, "body", "body: not valid JSON" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + " (expected: one JSON object, each field once)");
        } catch (CharConversionException e) {
            throw new ApiException(400, "body", "body: not valid UTF-8 (expected: a JSON object in UTF-8)");
        }
    }

    private static String summary(JsonNode body) {
        if (body == null) {
            return "-";
        }
        return Json.redact(body.deepCopy()).toString();
    }

    /** With its Content-Length, so the answer is complete on the wire before Undertow discards an unread body. */
    static void write(HttpServletResponse resp, int status, Object body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        resp.setStatus(status);
        resp.setContentType(JSON_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
