package dev.switchboard.router.runtime;

import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import dev.switchboard.router.table.RouteTableException;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the config file into a running {@link Switchboard}: when the file changes (its directory
 * is watched, so editors that replace the file by rename are seen; bursts of events are debounced),
 * on SIGHUP, and on request (the admin API). A file that does not load or whose routes do not build
 * is rejected: the old config keeps serving and the error is kept for the API and metrics.
 */
public final class ConfigReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    /**
     * The outcome of reloads so far.
     *
     * @param lastAttempt when the last reload was tried, or null
     * @param lastSuccess when a reload last succeeded, or null
     * @param lastError   the error of the last attempt, or null if it succeeded
     * @param successes   reloads applied
     * @param failures    reloads rejected
     */
    public record Status(Instant lastAttempt, Instant lastSuccess, String lastError, long successes, long failures) {
    }

    /**
     * One reload's result.
     *
     * @param error  why this reload was refused, or null if it was applied (or the file was unchanged)
     * @param status the status after it
     */
    public record Outcome(String error, Status status) {
        public boolean applied() {
            return error == null;
        }
    }

    private final Switchboard switchboard;
    private final ConfigLoader loader;
    private final Clock clock;
    private final Duration debounce;
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile Instant lastAttempt;
    private volatile Instant lastSuccess;
    private volatile String lastError;
    private volatile String kvError;
    private volatile WatchService watcher;
    private volatile Thread watchThread;

    private volatile ConsulConfigSource overlay;

    /** With config in Consul KV, file reloads re-apply the KV overlay on top of the new file. */
    public void overlay(ConsulConfigSource kv) {
        this.overlay = kv;
    }

    public ConfigReloader(Switchboard switchboard, ConfigLoader loader, Clock clock, Duration debounce) {
        this.switchboard = switchboard;
        this.loader = loader;
        this.clock = clock;
        this.debounce = debounce;
    }

    /**
     * Loads the config file again and applies it.
     *
     * @return the status after this attempt
     */
    public synchronized Outcome reload(String reason) {
        Path file = switchboard.configFile();
        lastAttempt = clock.instant();
        if (file == null) {
            return failed(reason, "no config file: the router runs from an embedded config");
        }
        ConsulConfigSource kv = overlay;
        if (kv != null) {
            // The file is the base under the Consul KV overlay: re-apply the overlay on the new file
            // (refused, like any reload, if the file holds no document).
            try {
                kv.baseChanged(loader.requireDocument(file));
            } catch (ConfigException | RouteTableException | IllegalStateException e) {
                return failed(reason, e.getMessage());
            }
            warnRestartNeeded(reason, switchboard.config());
            lastError = null;
            lastSuccess = lastAttempt;
            successes.incrementAndGet();
            return new Outcome(null, status());
        }
        SwitchboardConfig next;
        try {
            next = loader.reload(file);
        } catch (ConfigException e) {
            return failed(reason, e.getMessage());
        }
        if (next.equals(switchboard.config())) {
            lastError = null;
            lastSuccess = lastAttempt;
            successes.incrementAndGet();
            log.info("config reload ({}): {} unchanged", reason, file);
            return new Outcome(null, status());
        }
        try {
            switchboard.applyConfig(next, reason);
        } catch (RouteTableException | IllegalStateException e) {
            return failed(reason, e.getMessage());
        }
        warnRestartNeeded(reason, next);
        lastError = null;
        lastSuccess = lastAttempt;
        successes.incrementAndGet();
        return new Outcome(null, status());
    }

    private void warnRestartNeeded(String reason, SwitchboardConfig next) {
        List<String> fixed = switchboard.startConfig().restartOnlyChanges(next);
        if (!fixed.isEmpty()) {
            log.warn("config reload ({}): section(s) {} differ from the running config and take effect only after a restart",
                    reason, String.join(", ", fixed));
        }
    }

    /**
     * An outcome of a config change that did not come through {@link #reload} (the Consul KV key),
     * counted and shown like the others: {@code GET /api/v1/reload}, the {@code config-reload} health
     * check and {@code switchboard.reload.*}. The caller has logged it.
     *
     * @param error null when the change was applied
     */
    public void record(String error) {
        // Not synchronized: the KV source calls this holding its own lock, and a file reload holds
        // this object's lock while calling into the KV source (baseChanged). Volatile fields and
        // atomics suffice for a status; the KV outcome has its own error field, so a good KV update
        // does not hide a failed file reload, nor a good file reload a rejected KV value.
        lastAttempt = clock.instant();
        kvError = error;
        if (error == null) {
            lastSuccess = lastAttempt;
            successes.incrementAndGet();
        } else {
            failures.incrementAndGet();
        }
    }

    private Outcome failed(String reason, String error) {
        lastError = error;
        failures.incrementAndGet();
        log.error("config reload ({}) rejected, previous config keeps serving: {}", reason, error);
        return new Outcome(error, status());
    }

    /** The last outcome; its error is the file's if the last file reload failed, else the Consul KV value's. */
    public Status status() {
        String error = lastError != null ? lastError : kvError;
        return new Status(lastAttempt, lastSuccess, error, successes.get(), failures.get());
    }

    /** Watches the config file's directory; no-op without a config file. */
    public void watch() throws IOException {
        Path file = switchboard.configFile();
        if (file == null) {
            return;
        }
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Path name = abs.getFileName();
        WatchService ws = FileSystems.getDefault().newWatchService();
        dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        watcher = ws;
        contentChanged(); // the digest to compare with
        Thread t = new Thread(() -> watchLoop(ws, name), "switchboard-config-watch");
        t.setDaemon(true);
        t.start();
        watchThread = t;
        log.info("watching {} for changes", abs);
    }

    private volatile byte[] lastDigest;

    private void watchLoop(WatchService ws, Path name) {
        try {
            while (true) {
                WatchKey key = ws.take();
                boolean ours = touches(key, name);
                // Debounce: an editor writes, renames and chmods in a burst; wait until it is quiet.
                while (true) {
                    WatchKey more = ws.poll(debounce.toMillis(), TimeUnit.MILLISECONDS);
                    if (more == null) {
                        break;
                    }
                    ours |= touches(more, name);
                }
                // Events naming the file, or any other change in its directory that changed what the
                // path reads: a Kubernetes ConfigMap update swaps the ..data symlink and never touches
                // the file's own name.
                boolean changed = contentChanged();
                if ((ours || changed) && switchboard.configFile() != null && Files.exists(switchboard.configFile())) {
                    reload("file changed");
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    /** Whether the file reads differently than at the last look (following symlinks); false if unreadable. */
    private boolean contentChanged() {
        byte[] now;
        try {
            now = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(switchboard.configFile()));
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return false;
        }
        boolean changed = lastDigest != null && !Arrays.equals(now, lastDigest);
        lastDigest = now;
        return changed;
    }

    private static boolean touches(WatchKey key, Path name) {
        boolean ours = false;
        for (var event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(event.context())) {
                ours = true;
            }
        }
        key.reset();
        return ours;
    }

    /** Reloads on SIGHUP where the JVM supports {@code sun.misc.Signal}; false if it does not. */
    public boolean handleSighup() {
        try {
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                Thread t = new Thread(() -> reload("SIGHUP"), "switchboard-sighup");
                t.setDaemon(true);
                t.start();
            });
            if (previous == sun.misc.SignalHandler.SIG_IGN) {
                // The JVM keeps a signal the process was started ignoring (nohup) ignored.
                log.warn("SIGHUP reload unavailable: the process was started with SIGHUP ignored (nohup?); "
                        + "reload through the file watch or POST /api/v1/reload");
                return false;
            }
            return true;
        } catch (Throwable e) {
            log.warn("SIGHUP reload unavailable: {}", e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        WatchService ws = watcher;
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                log.debug("closing config watcher: {}", e.getMessage());
            }
        }
        Thread t = watchThread;
        if (t != null) {
            t.interrupt();
        }
    }
}
