package dev.switchboard.discovery;

import java.util.concurrent.CompletionStage;

/**
 * A source of catalog snapshots that changes over time. Implementations publish only complete
 * snapshots, skip unchanged ones, and keep the last good snapshot when the source fails.
 */
public interface ServiceDiscovery extends AutoCloseable {

    /** Starts watching. Idempotent. */
    void start();

    /** The latest published snapshot; {@link CatalogSnapshot#EMPTY} before the first sync. Never null. */
    CatalogSnapshot current();

    /** Registers a listener; it immediately receives the current snapshot if the source is ready. */
    void addListener(CatalogListener listener);

    /** Completes with the first full snapshot. */
    CompletionStage<CatalogSnapshot> whenReady();

    DiscoveryStatus status();

    /** Stops watching; the last snapshot stays readable. Never throws. */
    @Override
    void close();
}
