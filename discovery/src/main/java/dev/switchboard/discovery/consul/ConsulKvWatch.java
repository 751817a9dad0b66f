package dev.switchboard.discovery.consul;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.annotations.SerializedName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one KV key with blocking queries (same {@link BlockingQueryLoop} index rules and backoff
 * as discovery) and delivers its UTF-8 value, or null when the key does not exist or is deleted.
 * The listener runs on the watch thread and gets the first value and then only changed values; if
 * it throws, the value is not delivered again until it changes.
 */
public final class ConsulKvWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsulKvWatch.class);
    private static final Gson GSON = new Gson();

    private final String key;
    private final ConsulHttp http;
    private final Consumer<String> listener;
    private final SyncStatus status;
    private final WatchReporter reporter;
    private final BlockingQueryLoop<Optional<String>> loop;
    private final CompletableFuture<Optional<String>> first = new CompletableFuture<>();
    private final WatchThreads thread = new WatchThreads();
    private boolean delivered;
    private Optional<String> last = Optional.empty();
    private boolean started;

    public ConsulKvWatch(ConsulSettings settings, String key, Consumer<String> listener) {
        Objects.requireNonNull(key, "key");
        String k = key.startsWith("/") ? key.substring(1) : key;
        if (k.isEmpty()) {
            throw new IllegalArgumentException("key: '" + key + "' (expected: a non-empty KV key)");
        }
        this.key = k;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.http = new ConsulHttp(settings);
        this.status = new SyncStatus(settings.clock());
        this.reporter = new WatchReporter("kv " + k, status);
        String path = "/v1/kv/" + ConsulHttp.encodeKey(k);
        this.loop = new BlockingQueryLoop<>("kv " + k, index -> {
            ConsulHttp.Response r = http.get(path, index, java.util.List.of());
            reporter.aclWarning(r.aclWarning());
            return new BlockingQuery.Result<>(r.status() == 404 ? Optional.empty() : decode(r.body()), r.index());
        }, new BlockingQueryLoop.Handler<>() {
            @Override
            public void onValue(Optional<String> value) {
                deliver(value);
            }

            @Override
            public void onSuccess(int failuresBefore) {
                reporter.success(failuresBefore);
            }

            @Override
            public void onError(Exception error, int failures, Duration retryIn) {
                reporter.error(error, failures, retryIn);
            }
        }, new Backoff(settings.retryMin(), settings.retryMax(), settings.random()), settings.minInterval(),
                System::nanoTime);
    }

    private Optional<String> decode(String body) throws ConsulRequestException {
        try {
            KvEntry[] entries = GSON.fromJson(body, KvEntry[].class);
            if (entries == null || entries.length == 0 || entries[0] == null || entries[0].value == null) {
                return entries == null || entries.length == 0 ? Optional.empty() : Optional.of("");
            }
            return Optional.of(new String(Base64.getDecoder().decode(entries[0].value), StandardCharsets.UTF_8));
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new ConsulRequestException("kv " + key + ": malformed response (" + ConsulHttp.describe(e) + ")", e);
        }
    }

    private void deliver(Optional<String> value) {
        if (delivered && value.equals(last)) {
            return;
        }
        delivered = true;
        last = value;
        try {
            listener.accept(value.orElse(null));
        } catch (RuntimeException e) {
            log.warn("consul kv {}: listener rejected the new value ({}); waiting for the next change", key,
                    ConsulHttp.describe(e));
        }
        first.complete(value);
    }

    /** Starts the watch thread. Idempotent. */
    public synchronized void start() {
        if (!started) {
            started = true;
            thread.start("kv-" + key, loop);
        }
    }

    /** Completes with the first value read (empty if the key does not exist). */
    public CompletionStage<Optional<String>> firstValue() {
        return first.minimalCompletionStage();
    }

    public String key() {
        return key;
    }

    /** The current error of this watch, or null while it works. */
    public String lastError() {
        return status.lastError();
    }

    public long errorCount() {
        return status.errorCount();
    }

    public long requests() {
        return http.requests();
    }

    @Override
    public void close() {
        thread.stopAll();
        http.close();
        thread.awaitExit(Duration.ofSeconds(1));
    }

    static final class KvEntry {
        @SerializedName("Value") String value;
    }
}
