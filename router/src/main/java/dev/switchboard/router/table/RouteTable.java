package dev.switchboard.router.table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The immutable routing table: which {@link Route} a request takes. Built by
 * {@link RouteTableBuilder}, published through {@link RouteTableHolder}, read by the proxy once
 * per request on an IO thread. {@link #match} allocates nothing.
 *
 * <h2>Matching semantics</h2>
 * <ol>
 *   <li><b>Host levels.</b> The Host header is compared case-insensitively, without its port and
 *       without a trailing dot ({@code Example.COM.:8080} is {@code example.com}; an IPv6 literal
 *       keeps its brackets: {@code [::1]}). Levels are tried in this order: the exact host; then
 *       each wildcard {@code *.suffix} the host ends with, longest suffix first
 *       ({@code *.example.com} matches {@code a.example.com} and {@code a.b.example.com}, never
 *       {@code example.com}; wildcards never match IPv6 literals); then routes for any host.</li>
 *   <li><b>Fallback across levels.</b> If no route of a level matches the path, method and headers,
 *       the next less specific level is tried, as Fabio does (Envoy instead stops at the first
 *       matching virtual host). So {@code api.example.com/static} reaches a catch-all {@code /static}
 *       route unless {@code api.example.com} declares that path itself.</li>
 *   <li><b>Longest prefix.</b> Within a level, the longest path prefix wins. Prefixes match on
 *       segment boundaries: {@code /api} matches {@code /api}, {@code /api/} and {@code /api/x} but
 *       not {@code /apix}; a prefix ending in {@code /} ({@code /api/}) matches only paths under it
 *       ({@code /api/} and {@code /api/x}, not {@code /api}). Matching is case-sensitive on the
 *       normalized path (see {@link RequestPath}).</li>
 *   <li><b>Conditions.</b> Among routes with the same host and prefix, those with method or header
 *       conditions are tried first, more conditions first (an allowed-method set counts as one
 *       condition, each required header as one), then the unconditional one. Methods compare
 *       exactly; header names case-insensitively through {@link HeaderLookup}, values exactly.
 *       If none of them matches, shorter prefixes of the same level are tried next, then the
 *       next level: the table behaves like one ordered list whose first full match wins.</li>
 *   <li><b>Ties.</b> Routes with equal host, prefix and number of conditions are ordered by source
 *       ({@code config} before {@code api} before {@code consul}), then by name. Two routes with the
 *       same host, prefix, methods and headers cannot coexist: {@link RouteTableBuilder} keeps the
 *       one from the highest-precedence source (and merges Consul ones).</li>
 * </ol>
 * {@link #describe()} lists the routes in exactly this order: exact hosts (alphabetically), wildcard
 * hosts (longest suffix first), then any host; within a host by prefix length, descending.
 */
public final class RouteTable {

    /** The empty table: matches nothing. */
    public static final RouteTable EMPTY = new RouteTable(List.of(), List.of());

    /** Matching order across the whole table, also the order of {@link #describe()}. */
    static final Comparator<Route> MATCH_ORDER = Comparator
            .comparing((Route r) -> r.host().kind())
            .thenComparing(r -> r.host().kind() == HostPattern.Kind.WILDCARD ? -r.host().value().length() : 0)
            .thenComparing(r -> r.host().value())
            .thenComparing(r -> -r.pathPrefix().length())
            .thenComparing(Route::pathPrefix)
            .thenComparing(r -> -r.conditionCount())
            .thenComparing(r -> RouteTableBuilder.sourceRank(r.source()))
            .thenComparing(Route::name)
            .thenComparing(Route::describe);

    private final List<Route> routes;
    private final RangeMap<PathLevel> exactHosts;
    private final RangeMap<PathLevel> wildcardHosts;
    private final boolean hasWildcards;
    private final PathLevel anyHost;
    private final String describe;
    private final SortedSet<String> services;
    private final List<String> warnings;

    /** @param routes any order; sorted here into {@link #MATCH_ORDER} */
    RouteTable(List<Route> routes, List<String> warnings) {
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(MATCH_ORDER);
        this.routes = List.copyOf(sorted);
        this.warnings = List.copyOf(warnings);

        Map<String, List<Route>> exact = new LinkedHashMap<>();
        Map<String, List<Route>> wildcard = new LinkedHashMap<>();
        List<Route> any = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>();
        StringBuilder sb = new StringBuilder();
        for (Route r : sorted) {
            switch (r.host().kind()) {
                case EXACT -> exact.computeIfAbsent(r.host().value(), k -> new ArrayList<>()).add(r);
                case WILDCARD -> wildcard.computeIfAbsent(r.host().value(), k -> new ArrayList<>()).add(r);
                default -> any.add(r);
            }
            r.targets().forEach(t -> names.add(t.service()));
            sb.append(r.describe()).append('\n');
        }
        this.exactHosts = new RangeMap<>(levels(exact), true);
        this.wildcardHosts = new RangeMap<>(levels(wildcard), true);
        this.hasWildcards = !wildcard.isEmpty();
        this.anyHost = new PathLevel(any);
        this.services = Collections.unmodifiableSortedSet(names);
        this.describe = sb.toString();
    }

    private static Map<String, PathLevel> levels(Map<String, List<Route>> byHost) {
        Map<String, PathLevel> m = new LinkedHashMap<>();
        byHost.forEach((host, list) -> m.put(host, new PathLevel(list)));
        return m;
    }

    /**
     * The route for a request, or null if none matches.
     *
     * @param host           the Host header (or the authority of an absolute-form target), port
     *                       allowed; null or empty matches only any-host routes
     * @param method         the request method as sent, e.g. {@code GET}
     * @param normalizedPath {@link RequestPath#path()} of the request
     * @param headers        request headers; may be null when the request has none
     */
    public Route match(String host, String method, String normalizedPath, HeaderLookup headers) {
        Route r;
        if (host != null && !host.isEmpty()) {
            int end = HostPattern.hostEnd(host);
            if (end > 0) {
                PathLevel exact = exactHosts.get(host, 0, end);
                if (exact != null && (r = exact.match(method, normalizedPath, headers)) != null) {
                    return r;
                }
                if (hasWildcards && host.charAt(0) != '[') {
                    for (int i = 1; i < end; i++) {
                        if (host.charAt(i) == '.') {
                            PathLevel level = wildcardHosts.get(host, i, end);
                            if (level != null && (r = level.match(method, normalizedPath, headers)) != null) {
                                return r;
                            }
                        }
                    }
                }
            }
        }
        return anyHost.match(method, normalizedPath, headers);
    }

    /** All routes in matching order. */
    public List<Route> routes() {
        return routes;
    }

    public int size() {
        return routes.size();
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }

    /**
     * Canonical text form: one line per route in matching order (see {@link Route#describe()}),
     * e.g. {@code route web host=*.example.com path=/api methods=GET,POST headers=x-canary=1
     * -> web[all] rewrite=strip timeouts=connect=1s source=config}. Two tables that route
     * identically have equal descriptions; the holder republishes only when it changes.
     */
    public String describe() {
        return describe;
    }

    /** Every service some route sends traffic to, sorted. */
    public Set<String> services() {
        return services;
    }

    /**
     * What the builder resolved without failing: routes shadowed by a higher-precedence source,
     * Consul conflicts settled by majority. For logs and the admin API; not part of {@link #describe()}.
     */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "RouteTable[" + routes.size() + " routes]";
    }
}
