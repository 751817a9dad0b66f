package dev.switchboard.router.runtime;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.discovery.consul.ConsulKvWatch;
import dev.switchboard.discovery.consul.ConsulSettings;
import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import dev.switchboard.router.table.RouteTableException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Router config shared through Consul KV: watches {@code consul.config_key} and applies its value,
 * YAML in the same schema as the config file, on top of the file.
 *
 * <h2>Overlay rule</h2>
 * Each top-level section present in the KV document ({@code routes}, {@code services},
 * {@code upstream}, …) <em>replaces</em> the file's section of that name as a whole; sections the KV
 * document leaves out stay as in the file. There is no deep merge: a KV {@code routes} list is the
 * complete route list. The combined text goes through the same {@link ConfigLoader} as the file
 * ({@code ${VAR}} substitution, strict binding, validation), so a KV value is accepted only if the
 * file with it would be.
 *
 * <h2>Changes</h2>
 * <ul>
 *   <li>A valid value is applied with {@link Switchboard#applyConfig} (reason {@code consul kv}).</li>
 *   <li>An invalid value (bad YAML, a validation problem, routes that cannot be built) is rejected
 *       with one error line; the last good config keeps serving.</li>
 *   <li>A deleted (or empty) key goes back to the file's config.</li>
 *   <li>{@code listen}, {@code admin} and {@code consul} are read only at start: when the result
 *       differs there from the running config, one line says a restart is needed.</li>
 * </ul>
 * The KV document must be a block mapping (one top-level section per line), as config files are.
 */
public final class ConsulConfigSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsulConfigSource.class);
    private static final YAMLFactory YAML = new YAMLFactory();
    static final String REASON = "consul kv";
    private static final java.util.regex.Pattern VARIABLE = java.util.regex.Pattern.compile("\\$\\{[^}\\n]*}");

    private final Switchboard switchboard;
    private final ConfigLoader loader;
    private final ConsulSettings settings;
    private final String key;
    private volatile String baseYaml;
    private ConsulKvWatch watch;
    private String current; // last KV value applied (null: the file's config); guarded by this
    private volatile String lastError;
    private volatile boolean fromKv;

    /**
     * @param switchboard the running router; its config at this moment is the one it started with
     * @param baseYaml    the config file's text ("" when the router runs on the embedded default)
     * @param loader      the loader that read the file (same environment)
     * @param settings    how to reach Consul
     * @param key         the KV key ({@code consul.config_key})
     */
    private volatile ConfigReloader reloader;

    public ConsulConfigSource(Switchboard switchboard, String baseYaml, ConfigLoader loader, ConsulSettings settings,
            String key) {
        this.switchboard = Objects.requireNonNull(switchboard, "switchboard");
        this.baseYaml = Objects.requireNonNull(baseYaml, "baseYaml");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("consul.config_key: '" + key + "' (expected: a non-empty KV key)");
        }
        this.key = key;
    }

    /**
     * The source the config asks for, or null when {@code consul.config_key} is unset. Consul is
     * reached as discovery reaches it ({@code consul} section, then {@code CONSUL_HTTP_*}).
     */
    public static ConsulConfigSource create(Switchboard switchboard, String baseYaml, ConfigLoader loader) {
        SwitchboardConfig c = switchboard.config();
        if (c.consul().configKey() == null || c.consul().configKey().isBlank()) {
            return null;
        }
        return new ConsulConfigSource(switchboard, baseYaml, loader, ConsulDiscoveries.settings(c, System.getenv()),
                c.consul().configKey());
    }

    /** Starts watching the key. Idempotent. */
    public synchronized void start() {
        if (watch == null) {
            watch = new ConsulKvWatch(settings, key, this::onValue);
            watch.start();
            log.info("consul kv {}: watching for config overrides", key);
        }
    }

    /**
     * Waits until the key has been read once and its value handled (applied or rejected).
     *
     * @return false if Consul did not answer in time (the file's config keeps serving meanwhile)
     */
    public boolean awaitFirstValue(Duration timeout) throws InterruptedException {
        ConsulKvWatch w;
        synchronized (this) {
            w = watch;
        }
        if (w == null) {
            throw new IllegalStateException("consul kv " + key + ": not started");
        }
        try {
            w.firstValue().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** Handles a new value of the key (null: deleted or absent). Runs on the watch thread. */
    synchronized void onValue(String value) {
        String kv = value == null || value.isBlank() ? null : value;
        if (kv == null) {
            if (current != null || lastError != null) {
                apply(null, "deleted or empty; back to the file's config");
            }
            return;
        }
        apply(kv, "applied");
    }

    /**
     * The config file changed (e.g. reloaded): re-applies the current KV value on top of the new
     * text. Throws, changing nothing, if the file with the overlay is invalid.
     */
    public synchronized void baseChanged(String newBaseYaml) throws ConfigException, RouteTableException {
        SwitchboardConfig next = combine(newBaseYaml, current);
        switchboard.applyConfig(next, current == null ? "file" : REASON);
        baseYaml = newBaseYaml;
    }

    private void apply(String kv, String what) {
        SwitchboardConfig next;
        try {
            next = combine(baseYaml, kv);
            switchboard.applyConfig(next, kv == null ? REASON + " deleted" : REASON);
        } catch (ConfigException e) {
            reject(String.join("; ", e.problems()));
            return;
        } catch (RouteTableException e) {
            reject(e.getMessage());
            return;
        } catch (RuntimeException e) {
            reject(e.getMessage());
            return;
        }
        current = kv;
        fromKv = kv != null;
        lastError = null;
        ConfigReloader r = reloader;
        if (r != null) {
            r.record(null);
        }
        log.info("consul kv {}: {}{}", key, what, kv == null ? "" : " (sections: " + String.join(", ", sections(kv)) + ")");
        warnRestartNeeded(next);
    }

    private void reject(String why) {
        lastError = why;
        log.error("consul kv {}: config rejected, keeping the last good one: {}", key, why);
        ConfigReloader r = reloader;
        if (r != null) {
            r.record(key + ": " + why);
        }
    }

    /** Where KV outcomes are counted and shown with the file's (set once the reloader exists). */
    public void reportTo(ConfigReloader reloader) {
        this.reloader = reloader;
    }

    private void warnRestartNeeded(SwitchboardConfig next) {
        List<String> fixed = switchboard.startConfig().restartOnlyChanges(next);
        if (!fixed.isEmpty()) {
            log.warn("consul kv {}: section(s) {} differ from the running config and take effect only after a restart",
                    key, String.join(", ", fixed));
        }
    }

    /** The file's text with each top-level section of {@code kv} replacing the file's, bound and validated. */
    SwitchboardConfig combine(String base, String kv) throws ConfigException {
        return loader.parse(kv == null ? base : overlay(base, kv));
    }

    /** Text overlay: the file's sections (minus those the KV document has), then the KV document's sections. */
    static String overlay(String base, String kv) throws ConfigException {
        Map<String, String> kvSections = split(kv, "consul kv");
        Map<String, String> baseSections = split(base, "config file");
        StringBuilder out = new StringBuilder();
        baseSections.forEach((name, text) -> {
            if (!kvSections.containsKey(name)) {
                out.append(text).append('\n');
            }
        });
        kvSections.values().forEach(text -> out.append(text).append('\n'));
        return out.toString();
    }

    /** The top-level section names of a YAML document, in order. */
    static List<String> sections(String yaml) {
        try {
            return new ArrayList<>(split(yaml, "consul kv").keySet());
        } catch (ConfigException e) {
            return List.of();
        }
    }

    /**
     * Splits a YAML document into its top-level sections: the lines from one top-level key to the
     * next. Comment lines before the first key are dropped; a key that does not start its line
     * (a flow mapping such as {@code {a: 1}}) is refused.
     */
    static Map<String, String> split(String yaml, String what) throws ConfigException {
        Map<String, String> sections = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        List<Integer> starts = new ArrayList<>(); // 0-based line of each top-level key
        String[] lines = yaml.split("\n", -1);
        try (JsonParser p = YAML.createParser(maskVariables(yaml))) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return sections;
            }
            if (t != JsonToken.START_OBJECT) {
                throw new ConfigException("(root): " + what + " holds " + describe(t)
                        + " (expected: a YAML mapping of config sections)");
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                int line = p.currentTokenLocation().getLineNr() - 1;
                int column = p.currentTokenLocation().getColumnNr() - 1;
                if (line < 0 || line >= lines.length || !lines[line].substring(0, Math.min(column, lines[line].length())).isBlank()) {
                    throw new ConfigException("(root): " + what + " line " + (line + 1)
                            + ": a flow mapping (expected: a block mapping, one top-level section per line)");
                }
                names.add(p.currentName());
                starts.add(line);
                p.nextToken();
                p.skipChildren();
            }
        } catch (JacksonException e) {
            throw new ConfigException("(root): " + what + " is not readable YAML at line "
                    + e.getLocation().getLineNr() + " (expected: a YAML mapping of config sections)");
        } catch (IOException e) {
            throw new ConfigException("(root): " + what + " is not readable YAML (expected: a YAML mapping of config sections)");
        }
        for (int i = 0; i < names.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1) : lines.length;
            String text = String.join("\n", java.util.Arrays.asList(lines).subList(starts.get(i), end));
            // a repeated key keeps both texts so that the loader reports the duplicate
            sections.merge(names.get(i), text, (a, b) -> a + "\n" + b);
        }
        return sections;
    }

    /**
     * {@code ${VAR}} references blanked out (same length, so lines and columns stay): the loader
     * substitutes them before parsing, and {@code {}} would read as flow-mapping braces here.
     */
    static String maskVariables(String yaml) {
        java.util.regex.Matcher m = VARIABLE.matcher(yaml);
        StringBuilder out = new StringBuilder(yaml.length());
        while (m.find()) {
            m.appendReplacement(out, "x".repeat(m.end() - m.start()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String describe(JsonToken t) {
        return t == JsonToken.START_ARRAY ? "a list" : "a scalar";
    }

    /** The key watched. */
    public String key() {
        return key;
    }

    /** Why the last KV value was rejected, or null if it was applied. */
    public String lastError() {
        return lastError;
    }

    /** Whether the running config came from KV (false: the file's). */
    public boolean appliedFromKv() {
        return fromKv;
    }

    /** Consul requests of the watch so far. */
    public long requests() {
        ConsulKvWatch w;
        synchronized (this) {
            w = watch;
        }
        return w == null ? 0 : w.requests();
    }

    /** Stops watching. Call before closing the router. */
    @Override
    public void close() {
        ConsulKvWatch w;
        synchronized (this) {
            w = watch;
        }
        if (w != null) {
            w.close();
        }
    }
}
