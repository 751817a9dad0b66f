package dev.switchboard.router.proxy;

import dev.switchboard.router.table.Route;
import dev.switchboard.router.table.RouteTable;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One consistent view for the request path: the route table and each route's binding to live
 * clusters. Built whole off the IO threads and swapped atomically; never mutated.
 */
public final class RoutingState {

    public static final RoutingState EMPTY = new RoutingState(RouteTable.EMPTY, Map.of(), 0);

    private final RouteTable table;
    private final IdentityHashMap<Route, RouteBinding> bindings;
    private final long version;

    public RoutingState(RouteTable table, Map<Route, RouteBinding> bindings, long version) {
        this.table = table;
        this.bindings = new IdentityHashMap<>(bindings);
        this.version = version;
    }

    public RouteTable table() {
        return table;
    }

    public RouteBinding binding(Route route) {
        return bindings.get(route);
    }

    public Iterable<RouteBinding> bindings() {
        return bindings.values();
    }

    public long version() {
        return version;
    }
}
