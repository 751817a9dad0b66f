package dev.switchboard.router.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the YAML configuration: substitutes {@code ${VAR}} / {@code ${VAR:-default}} from the
 * environment, binds snake_case keys to the records (unknown keys are errors), then validates.
 * Every failure becomes a {@link ConfigException} whose lines name the field path.
 */
public final class ConfigLoader {

    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

    private final ObjectMapper yaml;
    private final Function<String, String> env;

    public ConfigLoader() {
        this(System::getenv);
    }

    public ConfigLoader(Function<String, String> env) {
        this.env = env;
        SimpleModule durations = new SimpleModule("switchboard-durations");
        durations.addDeserializer(Duration.class, new DurationDeserializer());
        this.yaml = JsonMapper.builder(new YAMLFactory())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(durations)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
    }

    public SwitchboardConfig load(Path file) throws ConfigException {
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(file + ": larger than 4 MiB (expected: a config file)");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        return parse(text);
    }

    /** Binds and validates YAML text. */
    public SwitchboardConfig parse(String text) throws ConfigException {
        SwitchboardConfig config = bind(substitute(text));
        List<String> problems = ConfigValidator.validate(config);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    String substitute(String text) throws ConfigException {
        Matcher m = ENV.matcher(text);
        StringBuilder out = new StringBuilder();
        List<String> missing = new ArrayList<>();
        while (m.find()) {
            String value = env.apply(m.group(1));
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                missing.add("${" + m.group(1) + "}: environment variable is not set (expected: set it, or write ${"
                        + m.group(1) + ":-default})");
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (!missing.isEmpty()) {
            throw new ConfigException(missing);
        }
        return out.toString();
    }

    private SwitchboardConfig bind(String text) throws ConfigException {
        if (text.isBlank()) {
            return new SwitchboardConfig(null, null, null, null, null, null, null);
        }
        try {
            SwitchboardConfig config = yaml.readValue(text, SwitchboardConfig.class);
            return config != null ? config : new SwitchboardConfig(null, null, null, null, null, null, null);
        } catch (UnrecognizedPropertyException e) {
            TreeSet<String> known = new TreeSet<>();
            if (e.getKnownPropertyIds() != null) {
                e.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
            }
            throw new ConfigException(path(e) + ": unknown field (expected one of: " + String.join(", ", known) + ")");
        } catch (InvalidFormatException e) {
            throw new ConfigException(path(e) + ": " + quote(e.getValue()) + " (" + expectation(e) + ")");
        } catch (MismatchedInputException e) {
            throw new ConfigException(path(e) + ": wrong type (expected: " + typeName(e.getTargetType()) + ")");
        } catch (JsonMappingException e) {
            String cause = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getOriginalMessage();
            throw new ConfigException(path(e) + ": " + cause);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ConfigException("YAML syntax error" + (loc != null ? " at line " + loc.getLineNr() + ", column " + loc.getColumnNr() : "")
                    + ": " + e.getOriginalMessage());
        }
    }

    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.length() == 0 ? "(root)" : sb.toString();
    }

    private static String expectation(InvalidFormatException e) {
        String msg = e.getOriginalMessage();
        int i = msg.indexOf("expected");
        if (i >= 0) {
            return msg.substring(i).replaceFirst("^expected a", "expected: a").replaceFirst("^expected ", "expected: ");
        }
        return "expected: " + typeName(e.getTargetType());
    }

    private static String typeName(Class<?> type) {
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
}
