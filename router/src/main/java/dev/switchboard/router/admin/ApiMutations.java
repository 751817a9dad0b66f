package dev.switchboard.router.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.discovery.InstanceId;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.runtime.ConfigReloader;
import dev.switchboard.router.runtime.Switchboard;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The write side of the API. Every input is validated before anything changes. */
final class ApiMutations {

    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[0-9A-Fa-f:.]{2,45}]");

    private final Switchboard sb;
    private final ConfigReloader reloader;

    ApiMutations(Switchboard sb, ConfigReloader reloader) {
        this.sb = sb;
        this.reloader = reloader;
    }

    /** {@code {"service", "address", "port", "weight"?}}: adds a static backend owned by the API. */
    Map<String, Object> add(JsonNode body) throws Exception {
        fields(body, Set.of("service", "address", "port", "weight"));
        String service = service(body);
        String address = text(body, "address", HOST, "a host name or IP address");
        int port = integer(body, "port", 1, 65_535, true, 0);
        int weight = integer(body, "weight", 1, 10_000, false, 1);
        try {
            // Here, on an admin worker: the registry would skip a name that does not resolve (and say so
            // only in the log) while this call answered 201.
            java.net.InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw ApiException.badField("address", address, "a host name that resolves, or an IP address");
        }
        ServiceInstance inst = ServiceInstance.ofStatic(service, address, port, weight);
        boolean ours = sb.apiBackends().getOrDefault(service, List.of()).stream().anyMatch(i -> i.id().equals(inst.id()));
        if (!ours && sb.registry().membership(service) != null && find(service, inst.id()) != null) {
            throw new ApiException(409, "address", "backend: " + Json.quoteShort(inst.id().toString())
                    + " (expected: an address service " + Json.quoteShort(service) + " does not already have from config or Consul)");
        }
        sb.addApiBackend(inst);
        return Map.of("added", Map.of("service", service, "id", inst.id().toString(), "address", inst.hostPort()));
    }

    /** {@code {"service", "backend"}}: removes a backend that was added through the API. */
    Map<String, Object> remove(JsonNode body) throws Exception {
        fields(body, Set.of("service", "backend"));
        String service = service(body);
        InstanceId id = instanceId(body);
        boolean api = sb.apiBackends().getOrDefault(service, List.of()).stream().anyMatch(i -> i.id().equals(id));
        if (!api) {
            if (find(service, id) != null) {
                throw new ApiException(409, "backend", "backend: " + Json.quoteShort(id.toString())
                        + " (expected: a backend added through the API; this one comes from config or Consul)");
            }
            throw new ApiException(404, "backend", "backend: " + Json.quoteShort(id.toString()) + " (expected: a backend of service " + Json.quoteShort(service) + ")");
        }
        sb.removeApiBackend(service, id);
        sb.registry().forgetOverrides(service, id);
        return Map.of("removed", Map.of("service", service, "id", id.toString()));
    }

    /** {@code {"service", "backend"}}: stops sending new requests; in-flight ones finish. */
    Map<String, Object> drain(JsonNode body, boolean draining) throws Exception {
        fields(body, Set.of("service", "backend"));
        Backend b = existing(body);
        sb.registry().setDraining(b, draining);
        sb.refresh((draining ? "api drain " : "api undrain ") + b);
        return Map.of("backend", ApiViews.backend(b, System.nanoTime()));
    }

    /** {@code {"service", "backend", "weight"}}: overrides the weight; 0 clears the override. */
    Map<String, Object> weight(JsonNode body) throws Exception {
        fields(body, Set.of("service", "backend", "weight"));
        Backend b = existing(body);
        int w = integer(body, "weight", 0, 10_000, true, 0);
        sb.registry().overrideWeight(b, w);
        sb.refresh("api weight " + b);
        return Map.of("backend", ApiViews.backend(b, System.nanoTime()));
    }

    /** A reload the file (or the Consul overlay) refused answers 422 with the reason; the old config keeps serving. */
    Reply reload() {
        ConfigReloader.Outcome outcome = reloader.reload("api");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("applied", outcome.applied());
        if (!outcome.applied()) {
            m.put("error", "config not applied, the running one stays: " + outcome.error());
        }
        m.put("status", outcome.status());
        return new Reply(outcome.applied() ? 200 : 422, m);
    }

    /** A mutation's status code and JSON body. */
    record Reply(int status, Object body) {
    }

    private Backend existing(JsonNode body) throws ApiException {
        String service = service(body);
        InstanceId id = instanceId(body);
        Backend b = find(service, id);
        if (b == null) {
            throw new ApiException(404, "backend", "backend: " + Json.quoteShort(id.toString()) + " (expected: a backend of service " + Json.quoteShort(service) + ")");
        }
        return b;
    }

    private Backend find(String service, InstanceId id) throws ApiException {
        var m = sb.registry().membership(service);
        if (m == null) {
            throw new ApiException(404, "service", "service: " + Json.quoteShort(service) + " (expected: a known service)");
        }
        for (Backend b : m.backends()) {
            if (b.id().equals(id)) {
                return b;
            }
        }
        return null;
    }

    private static void fields(JsonNode body, Set<String> allowed) throws ApiException {
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "body", "body: (expected: a JSON object with " + String.join(", ", allowed.stream().sorted().toList()) + ")");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new ApiException(400, f, "unknown field " + Json.quoteShort(f) + " (expected one of: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String service(JsonNode body) throws ApiException {
        return text(body, "service", SERVICE, "letters, digits, '.', '_' or '-', at most 128");
    }

    private static InstanceId instanceId(JsonNode body) throws ApiException {
        String s = text(body, "backend", null, null);
        // Only looked up, never used as a path or a name: any id the API lists is accepted (Consul's
        // service ids may hold '+', '#', unicode); the lookup answers 404 for the rest.
        int slash = s.indexOf('/');
        if (s.length() > 401 || slash <= 0 || slash == s.length() - 1 || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badField("backend", s, "an instance id node/service-id, e.g. static/10.0.0.1:8080");
        }
        return new InstanceId(s.substring(0, slash), s.substring(slash + 1));
    }

    private static String text(JsonNode body, String field, Pattern pattern, String expected) throws ApiException {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw new ApiException(400, field, field + ": missing (expected: " + (expected != null ? expected : "a string") + ")");
        }
        if (!n.isTextual()) {
            throw ApiException.badField(field, n, "a string");
        }
        String s = n.asText();
        if (pattern != null && !pattern.matcher(s).matches()) {
            throw ApiException.badField(field, s, expected);
        }
        return s;
    }

    private static int integer(JsonNode body, String field, int min, int max, boolean required, int dflt) throws ApiException {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new ApiException(400, field, field + ": missing (expected: an integer " + min + ".." + max + ")");
            }
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            throw ApiException.badField(field, n, "an integer " + min + ".." + max);
        }
        return n.asInt();
    }
}
