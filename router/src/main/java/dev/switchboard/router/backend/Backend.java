package dev.switchboard.router.backend;

import dev.switchboard.discovery.InstanceId;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.router.balancer.Endpoint;
import dev.switchboard.router.balancer.PeakEwma;
import dev.switchboard.router.balancer.SlowStart;
import dev.switchboard.router.health.BackendHealth;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One live backend: identity, connection pool and the state that must survive membership changes
 * (in-flight count, latency estimate, health). The {@link BackendRegistry} keeps the same object for
 * as long as the instance stays in the catalog, so selectors rebuilt on churn see continuous state.
 */
public final class Backend implements Endpoint {

    private final InstanceId id;
    private final String service;
    private final String hostPort;
    private final String source;
    private final UpstreamPool pool;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final PeakEwma latency;
    private volatile BackendHealth health;
    private final long addedAtNanos;
    private final long slowStartNanos;
    private volatile ServiceInstance instance;
    private volatile int weightOverride;
    private volatile boolean draining;
    private volatile boolean removed;
    private final java.util.concurrent.atomic.LongAdder selections = new java.util.concurrent.atomic.LongAdder();
    private volatile Object metricsSlot;

    public Backend(ServiceInstance instance, String source, UpstreamPool pool, BackendHealth health,
                   long addedAtNanos, long slowStartNanos) {
        this.health = health;
        this.id = instance.id();
        this.service = instance.service();
        this.hostPort = instance.hostPort();
        this.source = source;
        this.pool = pool;
        this.instance = instance;
        this.addedAtNanos = addedAtNanos;
        this.slowStartNanos = slowStartNanos;
        this.latency = new PeakEwma();
    }

    @Override
    public InstanceId id() {
        return id;
    }

    public String service() {
        return service;
    }

    /** {@code host:port} this backend is reached at. */
    public String hostPort() {
        return hostPort;
    }

    /** Where it came from: {@code consul}, {@code static} or {@code api}. */
    public String source() {
        return source;
    }

    public ServiceInstance instance() {
        return instance;
    }

    /** Takes newer catalog data for the same identity and address (weight, tags, health). */
    void update(ServiceInstance newer) {
        this.instance = newer;
    }

    public BackendHealth health() {
        return health;
    }

    /** Moves this backend's health accounting to a new policy after its service's config changed. */
    void rejoin(BackendHealth newHealth) {
        this.health = newHealth;
    }

    public UpstreamPool pool() {
        return pool;
    }

    @Override
    public int weight() {
        int o = weightOverride;
        return o > 0 ? o : instance.weight();
    }

    /** Sets a weight that overrides the catalog's (admin API); 0 clears the override. */
    public void overrideWeight(int weight) {
        this.weightOverride = Math.max(0, weight);
    }

    public boolean hasWeightOverride() {
        return weightOverride > 0;
    }

    /** The admin API's weight, 0 when none is set. */
    int weightOverride() {
        return weightOverride;
    }

    @Override
    public int effectiveWeight(long nowNanos) {
        return SlowStart.effectiveWeight(weight(), addedAtNanos, slowStartNanos, nowNanos);
    }

    @Override
    public double slowStartFactor(long nowNanos) {
        return SlowStart.factor(addedAtNanos, slowStartNanos, nowNanos);
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    public void beginRequest() {
        inFlight.incrementAndGet();
        selections.increment();
    }

    /** Attempts started on this backend since it appeared (each one a selection by the balancer). */
    public long selections() {
        return selections.sum();
    }

    /** An opaque holder the metrics package caches here, so a request resolves it without a lookup. */
    public Object metricsSlot() {
        return metricsSlot;
    }

    public void metricsSlot(Object slot) {
        this.metricsSlot = slot;
    }

    public void endRequest() {
        inFlight.decrementAndGet();
    }

    @Override
    public double latencyEwmaNanos(long nowNanos) {
        return latency.value(nowNanos);
    }

    /** Records the time to first response byte of one attempt. */
    public void observeLatency(long nanos, long nowNanos) {
        latency.observe(nanos, nowNanos);
    }

    /** Draining: takes no new requests; requests in flight finish. */
    public boolean isDraining() {
        return draining;
    }

    public void setDraining(boolean draining) {
        this.draining = draining;
    }

    public boolean isRemoved() {
        return removed;
    }

    /** Marks the backend gone from the catalog; closes idle connections now and busy ones when released. */
    void remove() {
        removed = true;
        pool.close();
    }

    @Override
    public String toString() {
        return service + "/" + id + "@" + hostPort;
    }
}
