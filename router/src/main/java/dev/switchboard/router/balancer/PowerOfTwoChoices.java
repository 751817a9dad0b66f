package dev.switchboard.router.balancer;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The power-of-two-choices core shared by {@link P2CLeastRequests} and {@link P2CPeakEwma}: draw two
 * distinct endpoints at random and keep the one with the lower load score. Nearly as good as
 * scanning for the least loaded, at O(1), and without the herd effect of everyone picking the same
 * least-loaded backend from stale counts (Mitzenmacher; Finagle's and Envoy's default).
 *
 * <p>Slow start acts on the draws, not on the score: a ramping endpoint is kept as a candidate with
 * probability {@link Endpoint#slowStartFactor} (the first draw is repeated, a rejected second one
 * leaves the first alone), so it takes part in about that share of the comparisons it would take part
 * in at full weight. Dividing the score by the factor instead would make a ramping endpoint lose every
 * comparison among idle backends (1 / 0.1 against 1 / 1) and starve it for the whole window.
 */
final class PowerOfTwoChoices implements Selector {

    /** Load of one endpoint at a point in time; lower is better. */
    @FunctionalInterface
    interface LoadScore {
        double of(Endpoint e, long nowNanos);
    }

    private final List<? extends Endpoint> endpoints;
    private final Endpoint[] es;
    private final LoadScore score;

    PowerOfTwoChoices(List<? extends Endpoint> endpoints, LoadScore score) {
        this.es = Picks.array(endpoints);
        this.endpoints = List.copyOf(endpoints);
        this.score = score;
    }

    @Override
    public List<? extends Endpoint> endpoints() {
        return endpoints;
    }

    @Override
    public Endpoint select(SelectionContext ctx) {
        int n = es.length;
        if (n == 1) {
            return ctx.usable(es[0]) ? es[0] : null;
        }
        RandomGenerator rnd = ctx.random();
        int i = rnd.nextInt(n);
        Endpoint a = es[i];
        if (!ctx.usable(a) || !Picks.rampAccepts(a, ctx)) {
            a = Picks.rampedRandomUsable(es, ctx);
            if (a == null) {
                return null;
            }
            i = -1;
        }
        int j = rnd.nextInt(n - 1);
        if (i >= 0 && j >= i) {
            j++; // distinct from the first draw
        }
        Endpoint b = es[j];
        if (b == a || !ctx.usable(b) || !Picks.rampAccepts(b, ctx)) {
            return a;
        }
        long now = ctx.nowNanos();
        return score.of(b, now) < score.of(a, now) ? b : a; // ties keep a, itself a random draw
    }

    /** The configured weight, at least 1: the weight to divide load by (slow start acts on the draws). */
    static double weight(Endpoint e) {
        return Math.max(1, e.weight());
    }
}
