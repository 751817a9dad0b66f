package dev.switchboard.router.table;

import dev.switchboard.router.config.TimeoutsConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A compiled route: match conditions, where to send the request and how. Immutable and shared by
 * all IO threads; every lookup structure is precomputed by {@link RouteTableBuilder}.
 */
public final class Route {

    private final String name;
    private final HostPattern host;
    private final String pathPrefix;
    private final String[] methods;
    private final String[] headerNames;
    private final String[] headerValues;
    private final List<RouteTarget> targets;
    private final int[] cumulativeWeights;
    private final PathRewriter rewriter;
    private final TimeoutsConfig timeouts;
    private final Boolean preserveHost;
    private final boolean accessLog;
    private final int maxInFlight;
    private final String source;
    private final String describe;

    Route(String name, HostPattern host, String pathPrefix, Set<String> methods, Map<String, String> headers,
          List<RouteTarget> targets, PathRewriter rewriter, TimeoutsConfig timeouts, Boolean preserveHost,
          boolean accessLog, int maxInFlight, String source) {
        this.name = name;
        this.host = host;
        this.pathPrefix = pathPrefix;
        this.methods = new TreeSet<>(methods).toArray(new String[0]);
        this.headerNames = headers.keySet().toArray(new String[0]);
        this.headerValues = headers.values().toArray(new String[0]);
        this.targets = List.copyOf(targets);
        this.cumulativeWeights = new int[targets.size()];
        int sum = 0;
        for (int i = 0; i < targets.size(); i++) {
            sum = Math.addExact(sum, targets.get(i).weight());
            cumulativeWeights[i] = sum;
        }
        if (targets.isEmpty() || sum <= 0) {
            throw new IllegalArgumentException("route " + name + ": targets " + targets + " (expected: a total weight > 0)");
        }
        this.rewriter = rewriter;
        this.timeouts = timeouts;
        this.preserveHost = preserveHost;
        this.accessLog = accessLog;
        this.maxInFlight = maxInFlight;
        this.source = source;
        this.describe = buildDescribe();
    }

    /** This route under another name. */
    Route renamed(String newName) {
        return new Route(newName, host, pathPrefix, Set.of(methods), headers(), targets, rewriter, timeouts,
                preserveHost, accessLog, maxInFlight, source);
    }

    public String name() {
        return name;
    }

    public HostPattern host() {
        return host;
    }

    /** The path prefix, matched on segment boundaries. */
    public String pathPrefix() {
        return pathPrefix;
    }

    /** Allowed methods, sorted; empty for any method. */
    public Set<String> methods() {
        return Collections.unmodifiableSet(new TreeSet<>(Arrays.asList(methods)));
    }

    /** Required headers: lower-case name to exact value, sorted by name. */
    public Map<String, String> headers() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < headerNames.length; i++) {
            m.put(headerNames[i], headerValues[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Number of method and header conditions; routes with more are tried first on a tie. */
    public int conditionCount() {
        return (methods.length > 0 ? 1 : 0) + headerNames.length;
    }

    /** Targets sorted by service name; at least one, total weight &gt; 0. */
    public List<RouteTarget> targets() {
        return targets;
    }

    public PathRewriter rewriter() {
        return rewriter;
    }

    /** Route-level timeout overrides; null fields inherit from the service. */
    public TimeoutsConfig timeouts() {
        return timeouts;
    }

    /** Overrides {@code upstream.preserve_host}; null to inherit. */
    public Boolean preserveHost() {
        return preserveHost;
    }

    public boolean accessLog() {
        return accessLog;
    }

    /** Most concurrent requests on this route (0 = unlimited). */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** {@code config}, {@code api} or {@code consul}. */
    public String source() {
        return source;
    }

    /** Whether the method and header conditions hold for a request. */
    boolean matchesConditions(String method, HeaderLookup headers) {
        if (methods.length > 0 && !contains(methods, method)) {
            return false;
        }
        for (int i = 0; i < headerNames.length; i++) {
            String v = headers != null ? headers.first(headerNames[i]) : null;
            if (v == null || !v.equals(headerValues[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(String[] a, String s) {
        for (String x : a) {
            if (x.equals(s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Picks a target by weight. {@code random} is any long, e.g. {@code RandomGenerator.nextLong()};
     * its value modulo the total weight selects a point in the precomputed cumulative weights.
     */
    public RouteTarget pickTarget(long random) {
        if (cumulativeWeights.length == 1) {
            return targets.get(0);
        }
        long point = Math.floorMod(random, (long) cumulativeWeights[cumulativeWeights.length - 1]);
        int i = Arrays.binarySearch(cumulativeWeights, (int) point + 1);
        return targets.get(i >= 0 ? firstWithCumulative(i) : -i - 1);
    }

    /** Targets of weight 0 repeat the previous cumulative value; step back to the first of the run. */
    private int firstWithCumulative(int i) {
        while (i > 0 && cumulativeWeights[i - 1] == cumulativeWeights[i]) {
            i--;
        }
        return i;
    }

    /** Rewrites a matched normalized path for forwarding (see {@link PathRewriter}). */
    public RequestPath rewrite(String normalizedPath) {
        return rewriter.rewrite(normalizedPath);
    }

    /** One canonical line, as in {@link RouteTable#describe()}. */
    public String describe() {
        return describe;
    }

    @Override
    public String toString() {
        return describe;
    }

    private String buildDescribe() {
        StringBuilder sb = new StringBuilder("route ").append(name)
                .append(" host=").append(host.describe())
                .append(" path=").append(pathPrefix);
        appendConditions(sb, Arrays.asList(methods), headers());
        sb.append(" ->");
        for (int i = 0; i < targets.size(); i++) {
            sb.append(i > 0 ? " +" : "").append(' ').append(targets.get(i).describe());
            if (targets.size() > 1) {
                sb.append(" weight=").append(targets.get(i).weight());
            }
        }
        if (rewriter.kind() != PathRewriter.Kind.NONE) {
            sb.append(" rewrite=").append(rewriter.describe());
        }
        appendOptions(sb, timeouts, preserveHost, accessLog, maxInFlight);
        return sb.append(" source=").append(source).toString();
    }

    /** {@code  methods=GET,POST headers=x-a=1,x-b=2}, each part only when present. */
    static void appendConditions(StringBuilder sb, Collection<String> methods, Map<String, String> headers) {
        if (!methods.isEmpty()) {
            sb.append(" methods=").append(String.join(",", methods));
        }
        if (!headers.isEmpty()) {
            sb.append(" headers=");
            int i = 0;
            for (Map.Entry<String, String> h : headers.entrySet()) {
                sb.append(i++ > 0 ? "," : "").append(h.getKey()).append('=').append(h.getValue());
            }
        }
    }

    /** The forwarding options that differ from their defaults, in canonical form. */
    static void appendOptions(StringBuilder sb, TimeoutsConfig timeouts, Boolean preserveHost, boolean accessLog,
                              int maxInFlight) {
        if (!TimeoutsConfig.INHERIT.equals(timeouts)) {
            sb.append(" timeouts=");
            appendTimeout(sb, "connect", timeouts.connect(), false);
            appendTimeout(sb, "response", timeouts.response(), timeouts.connect() != null);
            appendTimeout(sb, "idle", timeouts.idle(), timeouts.connect() != null || timeouts.response() != null);
        }
        if (preserveHost != null) {
            sb.append(" preserve_host=").append(preserveHost);
        }
        if (!accessLog) {
            sb.append(" access_log=false");
        }
        if (maxInFlight > 0) {
            sb.append(" max_in_flight=").append(maxInFlight);
        }
    }

    private static void appendTimeout(StringBuilder sb, String label, Duration d, boolean comma) {
        if (d != null) {
            sb.append(comma ? "," : "").append(label).append('=').append(formatDuration(d));
        }
    }

    /** {@code 2s}, {@code 250ms}, or ISO-8601 for sub-millisecond precision. */
    static String formatDuration(Duration d) {
        if (d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
