package dev.switchboard.router.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns a Jackson/SnakeYAML failure into one line {@code field.path: value (expected: …)}, or
 * {@code YAML syntax error at line L, column C: …} when the text is not YAML. Never prints a source
 * snippet (it could hold a secret) nor the value of a field whose name ends in {@code token}.
 */
final class BindingErrors {

    private BindingErrors() {
    }

    /**
     * @param e      what Jackson threw
     * @param parser the parser that was reading, still open and positioned at the offending token
     */
    static String describe(JacksonException e, JsonParser parser) {
        MarkedYAMLException yaml = find(e, MarkedYAMLException.class);
        if (yaml != null) {
            return syntax(yaml);
        }
        String path = e instanceof JsonMappingException m ? path(m) : path(parser.getParsingContext());
        if (e instanceof PropertyBindingException p) {
            TreeSet<String> known = new TreeSet<>();
            if (p.getKnownPropertyIds() != null) {
                p.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
            }
            known.remove(p.getPropertyName()); // an ignored (internal) property is listed as known
            return path + ": unknown field (expected: one of " + String.join(", ", known) + ")";
        }
        InputCoercionException range = find(e, InputCoercionException.class);
        if (range != null) {
            return path + ": " + value(path, parser) + " (expected: " + typeName(range.getTargetType()) + " up to "
                    + (isInt(range.getTargetType()) ? Integer.MAX_VALUE : Long.MAX_VALUE) + ")";
        }
        JsonParseException parse = find(e, JsonParseException.class);
        if (parse != null && String.valueOf(parse.getOriginalMessage()).startsWith("Duplicate field")) {
            return path(parser.getParsingContext()) + ": duplicate key" + line(parse.getLocation())
                    + " (expected: each key once per mapping)";
        }
        if (e instanceof InvalidFormatException f) {
            return path + ": " + redact(path, quote(f.getValue())) + " (" + expectation(f) + ")";
        }
        if (e instanceof MismatchedInputException m) {
            if (String.valueOf(m.getOriginalMessage()).startsWith("Trailing token")) {
                return "(root): a second YAML document" + line(parser.currentLocation()) + " (expected: one document per file)";
            }
            return path + ": " + value(path, parser) + " (expected: " + typeName(m.getTargetType()) + ")";
        }
        String message = e.getOriginalMessage() != null ? e.getOriginalMessage() : e.getClass().getSimpleName();
        return path + ": " + firstLine(message);
    }

    private static String syntax(MarkedYAMLException y) {
        Mark mark = y.getProblemMark() != null ? y.getProblemMark() : y.getContextMark();
        StringBuilder sb = new StringBuilder("YAML syntax error");
        if (mark != null) {
            sb.append(" at line ").append(mark.getLine() + 1).append(", column ").append(mark.getColumn() + 1);
        }
        sb.append(": ").append(y.getProblem() != null ? y.getProblem() : "unreadable YAML");
        Mark ctx = y.getContextMark();
        if (y.getContext() != null && ctx != null) {
            sb.append(" (").append(y.getContext()).append(" started at line ").append(ctx.getLine() + 1)
                    .append(", column ").append(ctx.getColumn() + 1).append(')');
        }
        return sb.toString();
    }

    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                sb.append(sb.length() > 0 ? "." : "").append(ref.getFieldName());
            }
        }
        return sb.length() == 0 ? "(root)" : sb.toString();
    }

    /** The path of the parser's position, including the field name it is on. */
    static String path(JsonStreamContext ctx) {
        List<String> parts = new java.util.ArrayList<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.add(0, c.getCurrentName());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String part : parts) {
            sb.append(sb.length() > 0 && !part.startsWith("[") ? "." : "").append(part);
        }
        return sb.length() == 0 ? "(root)" : sb.toString();
    }

    /** The offending token as the user wrote it; structures by kind. */
    private static String value(String path, JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "a mapping";
            case VALUE_NULL -> "null";
            case VALUE_STRING -> redact(path, quote(text(p)));
            default -> redact(path, text(p));
        };
    }

    private static String text(JsonParser p) {
        try {
            return p.getText();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static String redact(String path, String value) {
        return path.endsWith("token") ? "<redacted>" : value;
    }

    private static String line(JsonLocation loc) {
        return loc != null && loc.getLineNr() > 0 ? " at line " + loc.getLineNr() : "";
    }

    private static String expectation(InvalidFormatException e) {
        String msg = String.valueOf(e.getOriginalMessage());
        int i = msg.indexOf("expected");
        if (i >= 0) {
            return "expected: " + msg.substring(i + "expected".length()).trim();
        }
        return "expected: " + typeName(e.getTargetType());
    }

    private static boolean isInt(Class<?> type) {
        return type == Integer.class || type == int.class;
    }

    static String typeName(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == java.time.Duration.class) {
            return "a duration such as 250ms, 1s, 1.5s, 2m or 1h";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping";
        }
        return type.getSimpleName();
    }

    static String quote(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
