package dev.switchboard.router.proxy;

import dev.switchboard.router.backend.ServiceCluster;
import dev.switchboard.router.config.TimeoutsConfig;
import dev.switchboard.router.table.Route;
import dev.switchboard.router.table.RouteTarget;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A route tied to the clusters its targets resolve to in one routing state, with everything that
 * can be computed once per build: effective timeouts per target, the route's in-flight counter
 * (shared across rebuilds, so a reload doesn't reset the limit), Host handling.
 */
public final class RouteBinding {

    private final Route route;
    private final List<RouteTarget> targets;
    private final ServiceCluster[] clusters;
    private final long[] connectMillis;
    private final long[] tryMillis;
    private final long[] responseMillis;
    private final long[] idleMillis;
    private final boolean preserveHost;
    private final AtomicInteger inFlight;
    private final int maxInFlight;
    private volatile Object metricsSlot;

    public RouteBinding(Route route, ServiceCluster[] clusters, TimeoutsConfig global, boolean preserveHostDefault,
                        AtomicInteger inFlight) {
        this.route = route;
        this.targets = route.targets();
        this.clusters = clusters.clone();
        this.connectMillis = new long[clusters.length];
        this.tryMillis = new long[clusters.length];
        this.responseMillis = new long[clusters.length];
        this.idleMillis = new long[clusters.length];
        for (int i = 0; i < clusters.length; i++) {
            TimeoutsConfig t = global;
            if (clusters[i] != null) {
                t = t.overriddenBy(clusters[i].config().timeouts());
            }
            t = t.overriddenBy(route.timeouts());
            connectMillis[i] = t.connect().toMillis();
            idleMillis[i] = t.idle().toMillis();
            var perTry = clusters[i] != null ? clusters[i].config().retry().perTryTimeout() : null;
            tryMillis[i] = perTry != null && perTry.compareTo(t.response()) < 0 ? perTry.toMillis() : t.response().toMillis();
            responseMillis[i] = t.response().toMillis();
        }
        this.preserveHost = route.preserveHost() != null ? route.preserveHost() : preserveHostDefault;
        this.inFlight = inFlight;
        this.maxInFlight = route.maxInFlight();
    }

    public Route route() {
        return route;
    }

    public String name() {
        return route.name();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** The clusters of this route's targets, in target order (an entry is null if its service has no members). */
    public java.util.List<ServiceCluster> clusters() {
        return java.util.Collections.unmodifiableList(java.util.Arrays.asList(clusters));
    }

    /** An opaque holder the metrics package caches here, so a request resolves it without a lookup. */
    public Object metricsSlot() {
        return metricsSlot;
    }

    public void metricsSlot(Object slot) {
        this.metricsSlot = slot;
    }

    boolean preserveHost() {
        return preserveHost;
    }

    /** The index of the target this request goes to (weighted when the route splits traffic). */
    int pickTarget(long random) {
        if (clusters.length == 1) {
            return 0;
        }
        RouteTarget t = route.pickTarget(random);
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i) == t) {
                return i;
            }
        }
        return 0;
    }

    /** The cluster of target {@code i}, or null if its service has no members at all. */
    ServiceCluster cluster(int i) {
        return clusters[i];
    }

    long connectTimeoutMillis(int i) {
        return connectMillis[i];
    }

    long idleTimeoutMillis(int i) {
        return idleMillis[i];
    }

    long tryTimeoutMillis(int i) {
        return tryMillis[i];
    }

    /** The response timeout of target {@code i}: the bound on all tries together. */
    long responseTimeoutMillis(int i) {
        return responseMillis[i];
    }

    /** Takes a slot under the route's concurrency limit. Always counts, for the in-flight metric. */
    boolean tryAcquire() {
        int n = inFlight.incrementAndGet();
        if (maxInFlight > 0 && n > maxInFlight) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void release() {
        inFlight.decrementAndGet();
    }
}
