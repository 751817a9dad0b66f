package dev.switchboard.router.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads the YAML configuration: substitutes {@code ${VAR}} / {@code ${VAR:-default}} from the
 * environment ({@link EnvSubstitution}), binds snake_case keys to the records (unknown and duplicate
 * keys are errors), fills unset secrets and addresses from the environment ({@link EnvDefaults}), then
 * validates ({@link ConfigValidator}). Every failure becomes a {@link ConfigException} whose lines
 * name the field path, the bad value and what was expected.
 */
public final class ConfigLoader {

    /** Larger files are refused before they are read. */
    public static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

    private final ObjectMapper yaml;
    private final Function<String, String> env;

    /** A loader reading the process environment. */
    public ConfigLoader() {
        this(System::getenv);
    }

    /** @param env environment lookup, returning null for an unset variable */
    public ConfigLoader(Function<String, String> env) {
        this.env = env;
        this.yaml = mapper();
    }

    /** Convenience for tests and embedding: an environment given as a map. */
    public static ConfigLoader withEnvironment(Map<String, String> env) {
        return new ConfigLoader(env::get);
    }

    /** Reads, binds and validates a file. */
    public SwitchboardConfig load(Path file) throws ConfigException {
        return parse(read(file));
    }

    /**
     * As {@link #load}, but a file with no YAML document is refused instead of read as the embedded
     * default ({@link #requireDocument}).
     */
    public SwitchboardConfig reload(Path file) throws ConfigException {
        return parse(requireDocument(file));
    }

    /**
     * The file's text, refused if it holds no config: empty, blank, only comments, or an empty
     * document ({@code ---}, {@code ~}, <code>{}</code>). On a reload that is what a file caught
     * mid-write, or a ConfigMap with the wrong key, looks like, and applying it would drop every route.
     */
    public String requireDocument(Path file) throws ConfigException {
        String text = read(file);
        boolean empty;
        try (JsonParser parser = yaml.createParser(EnvSubstitution.apply(text, env))) {
            JsonToken first = parser.nextToken();
            empty = first == null || first == JsonToken.VALUE_NULL
                    || first == JsonToken.START_OBJECT && parser.nextToken() == JsonToken.END_OBJECT;
        } catch (IOException e) {
            return text; // unreadable YAML: parse() reports it with the line and column
        }
        if (empty) {
            throw new ConfigException(file + ": no YAML document, the file is empty, only comments or an empty mapping"
                    + " (expected: a config; the running one is kept)");
        }
        return text;
    }

    /** Binds and validates YAML text. */
    public SwitchboardConfig parse(String text) throws ConfigException {
        SwitchboardConfig config = EnvDefaults.apply(bind(EnvSubstitution.apply(text, env)), env);
        List<String> problems = ConfigValidator.validate(config);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    static String read(Path file) throws ConfigException {
        try {
            if (Files.isDirectory(file)) {
                throw new ConfigException(file + ": a directory (expected: a YAML file)");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ConfigException(file + ": " + size + " bytes (expected: at most " + MAX_FILE_BYTES + " bytes)");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file (expected: a readable YAML file)");
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not UTF-8 text (expected: a UTF-8 YAML file)");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read, " + e.getClass().getSimpleName()
                    + " (expected: a readable YAML file)");
        }
    }

    private SwitchboardConfig bind(String text) throws ConfigException {
        try (JsonParser parser = yaml.createParser(text)) {
            try {
                if (parser.nextToken() == null) {
                    return SwitchboardConfig.DEFAULT;
                }
                SwitchboardConfig config = yaml.readValue(parser, SwitchboardConfig.class);
                return config != null ? config : SwitchboardConfig.DEFAULT;
            } catch (JacksonException e) {
                throw new ConfigException(BindingErrors.describe(e, parser));
            }
        } catch (IOException e) {
            throw new ConfigException("(root): unreadable YAML, " + e.getClass().getSimpleName() + " (expected: a YAML mapping)");
        }
    }

    private static ObjectMapper mapper() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit((int) MAX_FILE_BYTES + 1);
        SimpleModule durations = new SimpleModule("switchboard-durations");
        durations.addDeserializer(Duration.class, new DurationDeserializer());
        return JsonMapper.builder(YAMLFactory.builder().loaderOptions(options)
                        .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(durations)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_IGNORED_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withConfigOverride(List.class, o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
                .withConfigOverride(Map.class, o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
                .build();
    }
}
