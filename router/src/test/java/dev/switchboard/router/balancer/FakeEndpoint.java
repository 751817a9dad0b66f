package dev.switchboard.router.balancer;

import dev.switchboard.discovery.InstanceId;
import java.util.ArrayList;
import java.util.List;

/** In-memory {@link Endpoint} whose load, latency, slow-start factor and usability tests set. */
final class FakeEndpoint implements Endpoint {

    final int index;
    private final InstanceId id;
    private final int weight;
    volatile boolean usable = true;
    volatile int inFlight;
    volatile double latencyNanos;
    volatile double slowStartFactor = 1.0;

    FakeEndpoint(int index, String name, int weight) {
        this.index = index;
        this.id = new InstanceId("node", name);
        this.weight = weight;
    }

    /** Endpoints named e000, e001, … (so sorted by identity) with the given weights. */
    static List<FakeEndpoint> weighted(int... weights) {
        List<FakeEndpoint> list = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            list.add(new FakeEndpoint(i, String.format("e%03d", i), weights[i]));
        }
        return list;
    }

    /** {@code n} endpoints of weight 1. */
    static List<FakeEndpoint> count(int n) {
        int[] w = new int[n];
        java.util.Arrays.fill(w, 1);
        return weighted(w);
    }

    @Override
    public InstanceId id() {
        return id;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public int effectiveWeight(long nowNanos) {
        return (int) Math.max(1, Math.ceil(weight * slowStartFactor));
    }

    @Override
    public double slowStartFactor(long nowNanos) {
        return slowStartFactor;
    }

    @Override
    public int inFlight() {
        return inFlight;
    }

    @Override
    public double latencyEwmaNanos(long nowNanos) {
        return latencyNanos;
    }

    @Override
    public String toString() {
        return id.serviceId();
    }
}
