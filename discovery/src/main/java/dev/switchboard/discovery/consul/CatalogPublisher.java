package dev.switchboard.discovery.consul;

import dev.switchboard.discovery.CatalogListener;
import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.ServiceSnapshot;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects per-service snapshots from the watches and publishes whole {@link CatalogSnapshot}s
 * from one thread. Nothing is published before {@link #goLive()} (the first full sync) except a
 * restored snapshot; afterwards a change waits {@code delay} for others, so a burst of service
 * updates becomes one snapshot. An equal snapshot is never republished. Each published snapshot is
 * persisted if a {@link SnapshotFile} is configured.
 */
final class CatalogPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CatalogPublisher.class);

    private final Map<String, ServiceSnapshot> services = new ConcurrentHashMap<>();
    private final List<CatalogListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<CatalogSnapshot> ready = new CompletableFuture<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong publications = new AtomicLong();
    private final ScheduledExecutorService executor;
    private final long delayNanos;
    private final SnapshotFile file;
    private final Clock clock;
    private final Object lock = new Object();
    private volatile boolean live;
    private volatile boolean restored;
    private volatile CatalogSnapshot current = CatalogSnapshot.EMPTY;
    private boolean published;
    private String lastPersistError;

    CatalogPublisher(Duration delay, SnapshotFile file, Clock clock) {
        this.delayNanos = delay.toNanos();
        this.file = file;
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-consul-publisher");
            t.setDaemon(true);
            return t;
        });
    }

    void put(ServiceSnapshot snapshot) {
        ServiceSnapshot old = services.put(snapshot.name(), snapshot);
        if (!snapshot.equals(old)) {
            changed();
        }
    }

    void remove(String service) {
        if (services.remove(service) != null) {
            changed();
        }
    }

    /** The first full sync is done: publish now and from here on publish every change. */
    void goLive() {
        live = true;
        submit(0);
    }

    boolean isLive() {
        return live;
    }

    /** Publishes a snapshot read from disk, if nothing real has been published yet. */
    void restore(CatalogSnapshot snapshot) {
        synchronized (lock) {
            if (live || published) {
                return;
            }
            restored = true;
            publish(snapshot, false);
        }
        ready.complete(snapshot);
    }

    /** A restored snapshot is current and no real one has replaced it yet. */
    boolean isStale() {
        return restored && !live;
    }

    CatalogSnapshot current() {
        return current;
    }

    CompletableFuture<CatalogSnapshot> whenReady() {
        return ready;
    }

    long publications() {
        return publications.get();
    }

    void addListener(CatalogListener listener) {
        synchronized (lock) {
            listeners.add(listener);
            if (published) {
                notifyOne(listener, current);
            }
        }
    }

    private void changed() {
        if (live && scheduled.compareAndSet(false, true)) {
            submit(delayNanos);
        }
    }

    private void submit(long delay) {
        try {
            executor.schedule(this::publishWorkingSet, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed: the last snapshot stays readable, nothing more is published
        }
    }

    private void publishWorkingSet() {
        scheduled.set(false);
        CatalogSnapshot next = CatalogSnapshot.of(services.values());
        synchronized (lock) {
            publish(next, true);
        }
        ready.complete(current);
    }

    private void publish(CatalogSnapshot next, boolean persist) {
        if (published && next.equals(current)) {
            return;
        }
        current = next;
        published = true;
        publications.incrementAndGet();
        for (CatalogListener l : listeners) {
            notifyOne(l, next);
        }
        if (persist && file != null) {
            persist(next);
        }
    }

    private void notifyOne(CatalogListener l, CatalogSnapshot s) {
        try {
            l.onSnapshot(s);
        } catch (RuntimeException e) {
            log.warn("catalog listener {} failed on a snapshot of {} services: {}", l, s.services().size(),
                    ConsulHttp.describe(e));
        }
    }

    private void persist(CatalogSnapshot s) {
        try {
            file.save(s, clock.instant());
            if (lastPersistError != null) {
                log.info("snapshot file {}: writing works again", file.path());
                lastPersistError = null;
            }
        } catch (IOException | RuntimeException e) {
            String msg = ConsulHttp.describe(e);
            if (!msg.equals(lastPersistError)) {
                log.warn("snapshot file {}: cannot write ({}); routing is unaffected", file.path(), msg);
                lastPersistError = msg;
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
