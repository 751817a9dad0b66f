package dev.switchboard.discovery;

/**
 * Receives each new catalog snapshot. Called on the discovery thread, never concurrently for one
 * source, and never twice in a row with an equal snapshot. Implementations must not block.
 */
@FunctionalInterface
public interface CatalogListener {
    void onSnapshot(CatalogSnapshot snapshot);
}
