package dev.switchboard.discovery.file;

import dev.switchboard.discovery.CatalogListener;
import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.DiscoveryStatus;
import dev.switchboard.discovery.ServiceDiscovery;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Discovery whose catalog is set by the owner: from the config file at start and on reload, and by
 * the admin API. Ready from the start.
 */
public final class StaticDiscovery implements ServiceDiscovery {

    private final List<CatalogListener> listeners = new CopyOnWriteArrayList<>();
    private final Instant startedAt = Instant.now();
    private volatile CatalogSnapshot current;

    public StaticDiscovery(CatalogSnapshot initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    @Override
    public void start() {
    }

    @Override
    public CatalogSnapshot current() {
        return current;
    }

    /** Publishes a new catalog if it differs from the current one. */
    public synchronized void update(CatalogSnapshot snapshot) {
        if (snapshot.equals(current)) {
            return;
        }
        current = snapshot;
        for (CatalogListener l : listeners) {
            l.onSnapshot(snapshot);
        }
    }

    @Override
    public synchronized void addListener(CatalogListener listener) {
        listeners.add(listener);
        listener.onSnapshot(current);
    }

    @Override
    public CompletionStage<CatalogSnapshot> whenReady() {
        return CompletableFuture.completedFuture(current);
    }

    @Override
    public DiscoveryStatus status() {
        CatalogSnapshot s = current;
        return new DiscoveryStatus("static", true, startedAt, null, null, 0, s.services().size(), s.instanceCount(),
                false, 0, 0, 0);
    }

    @Override
    public void close() {
    }
}
