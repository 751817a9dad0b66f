package dev.switchboard.router.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The routes of one host level (one exact host, one wildcard suffix, or any host), indexed by path
 * prefix. Lookup tries only the prefix lengths that exist here, longest first, and only where the
 * request path has a segment boundary; at each prefix the routes are tried in their given order.
 */
final class PathLevel {

    private final RangeMap<Route[]> byPrefix;
    private final int[] lengthsDescending;

    /** @param routes in matching order (longest prefix first, then most conditions first) */
    PathLevel(List<Route> routes) {
        Map<String, List<Route>> grouped = new LinkedHashMap<>();
        TreeSet<Integer> lengths = new TreeSet<>();
        for (Route r : routes) {
            grouped.computeIfAbsent(r.pathPrefix(), k -> new ArrayList<>()).add(r);
            lengths.add(r.pathPrefix().length());
        }
        Map<String, Route[]> arrays = new LinkedHashMap<>();
        grouped.forEach((prefix, list) -> arrays.put(prefix, list.toArray(new Route[0])));
        this.byPrefix = new RangeMap<>(arrays, false);
        this.lengthsDescending = lengths.descendingSet().stream().mapToInt(Integer::intValue).toArray();
    }

    Route match(String method, String path, HeaderLookup headers) {
        int len = path.length();
        for (int l : lengthsDescending) {
            if (l > len || (l < len && path.charAt(l) != '/' && path.charAt(l - 1) != '/')) {
                continue; // "/api" must not match "/apix"
            }
            Route[] candidates = byPrefix.get(path, 0, l);
            if (candidates != null) {
                for (Route r : candidates) {
                    if (r.matchesConditions(method, headers)) {
                        return r;
                    }
                }
            }
        }
        return null;
    }
}
