package dev.switchboard.router.table;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one current {@link RouteTable}: never null (starts with {@link RouteTable#EMPTY}), replaced
 * only whole by a fully built table. A failed build keeps the last good table; a table whose
 * {@link RouteTable#describe()} equals the current one is not republished, so listeners hear only
 * about real changes. Create one per router and inject it; it holds no global state.
 *
 * <p>Readers call {@link #current()} (a volatile read) from any thread. Updates are serialized;
 * listeners run on the updating thread, in update order, and must not block.
 */
public final class RouteTableHolder {

    private static final Logger log = LoggerFactory.getLogger(RouteTableHolder.class);

    /** Hears about each newly published table. */
    @FunctionalInterface
    public interface Listener {
        void onRouteTable(RouteTable table);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile RouteTable current = RouteTable.EMPTY;

    /** The current table; never null. */
    public RouteTable current() {
        return current;
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /**
     * Publishes {@code table} unless it describes the same routes as the current one.
     *
     * @return whether it was published (and listeners notified)
     */
    public synchronized boolean publish(RouteTable table) {
        Objects.requireNonNull(table, "table");
        RouteTable previous = current;
        if (previous.describe().equals(table.describe())) {
            return false;
        }
        current = table;
        log.info("route table updated: {} routes, {} services (was {} routes)",
                table.size(), table.services().size(), previous.size());
        for (String warning : table.warnings()) {
            log.warn("route table: {}", warning);
        }
        for (Listener l : listeners) {
            try {
                l.onRouteTable(table);
            } catch (RuntimeException e) {
                log.error("route table listener {} failed", l, e);
            }
        }
        return true;
    }

    /**
     * Builds a table from {@code definitions} and publishes it. If the build fails, the current
     * table stays and the errors are logged and rethrown.
     *
     * @return whether a changed table was published
     * @throws RouteTableException the build errors; the last good table is still current
     */
    public synchronized boolean rebuild(List<RouteDefinition> definitions) throws RouteTableException {
        RouteTable table;
        try {
            table = RouteTableBuilder.build(definitions);
        } catch (RouteTableException e) {
            log.warn("route table rebuild rejected, keeping the current {} routes: {}", current.size(),
                    String.join("; ", e.errors()));
            throw e;
        }
        return publish(table);
    }
}
