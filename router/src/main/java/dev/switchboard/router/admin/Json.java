package dev.switchboard.router.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The admin API's JSON mapper and small helpers for it. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private Json() {
    }

    /** A value for an error message: quoted, at most 64 characters, control characters escaped. */
    static String quoteShort(Object value) {
        if (value == null) {
            return "null";
        }
        return "\"" + safeShort(value instanceof JsonNode n && n.isTextual() ? n.asText() : String.valueOf(value)) + "\"";
    }

    /**
     * Client text made safe to echo in JSON and in a log line: at most 64 characters (then "…"),
     * with control, format (bidi overrides, zero-width) and line-separator characters, quotes,
     * backslashes and HTML's {@code < > &} written as {@code \\uXXXX}.
     */
    static String safeShort(String s) {
        boolean cut = s.length() > 64;
        if (cut) {
            s = s.substring(0, 64);
        }
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&') {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return cut ? sb.append('…').toString() : sb.toString();
    }

    /** Maps whose keys are names users chose (services, route header matches), not field names. */
    private static final Set<String> NAMED = Set.of("services", "headers");

    /**
     * Replaces the value of every field whose name says it is a secret ({@code admin.token},
     * {@code consul.token}, …). The keys of {@link #NAMED} maps are names, not fields: a service called
     * {@code auth-token} is shown, its own fields checked like any other.
     */
    static JsonNode redact(JsonNode node) {
        return redact(node, false);
    }

    private static JsonNode redact(JsonNode node, boolean keysAreNames) {
        if (node instanceof ObjectNode obj) {
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey().toLowerCase(Locale.ROOT);
                if (!keysAreNames && (k.contains("token") || k.contains("password") || k.contains("secret"))
                        && !e.getValue().isNull()) {
                    e.setValue(MAPPER.getNodeFactory().textNode("<redacted>"));
                } else {
                    redact(e.getValue(), !keysAreNames && NAMED.contains(k));
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(n -> redact(n, false));
        }
        return node;
    }
}
