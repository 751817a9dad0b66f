package dev.switchboard.router.balancer;

import java.util.List;

/**
 * {@code peak_ewma}: power of two choices on Finagle's and Linkerd's latency cost,
 * {@code peakEwmaLatency * (inFlight + 1)}, divided by {@code weight} (slow start acts on the draws,
 * see {@link PowerOfTwoChoices}). A backend that slows down is avoided as soon as one slow response
 * raises its peak estimate; its estimate decays while it is avoided, so it is probed again later.
 *
 * <p>A backend with no measurement yet costs 0 while idle (new backends get tried) and, as in
 * Finagle, a large penalty plus its in-flight count while it has requests outstanding, so it is not
 * flooded before its first response tells us its latency.
 */
public final class P2CPeakEwma implements LoadBalancingStrategy {

    public static final String NAME = "peak_ewma";
    public static final P2CPeakEwma INSTANCE = new P2CPeakEwma();

    /** Finagle's penalty for an unmeasured backend with requests in flight (~39 hours in ns). */
    static final double PENALTY = Long.MAX_VALUE >> 16;

    private static final PowerOfTwoChoices.LoadScore SCORE = P2CPeakEwma::cost;

    private P2CPeakEwma() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selector newSelector(List<? extends Endpoint> endpoints, Selector previous) {
        return new PowerOfTwoChoices(endpoints, SCORE);
    }

    static double cost(Endpoint e, long nowNanos) {
        int inFlight = e.inFlight();
        double latency = e.latencyEwmaNanos(nowNanos);
        double cost = latency > 0 ? latency * (inFlight + 1) : inFlight == 0 ? 0 : PENALTY + inFlight;
        return cost / PowerOfTwoChoices.weight(e);
    }
}
