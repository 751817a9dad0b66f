package dev.switchboard.router.balancer;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * {@code weighted_random}: an endpoint drawn with probability proportional to its weight, from
 * cumulative weights precomputed at build time (one random number and a binary search per pick).
 * Slow start applies by rejection: a drawn endpoint that is ramping up is kept with probability
 * {@link Endpoint#slowStartFactor}, else the draw is repeated, which makes its share proportional to
 * {@code weight * factor} (after {@link Picks#RAMP_TRIES} rejections the draw is kept). An unusable
 * draw is repeated a few times, then an O(n) weighted scan over the usable ones decides.
 */
public final class WeightedRandom implements LoadBalancingStrategy {

    public static final String NAME = "weighted_random";
    public static final WeightedRandom INSTANCE = new WeightedRandom();

    private WeightedRandom() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selector newSelector(List<? extends Endpoint> endpoints, Selector previous) {
        Endpoint[] es = Picks.array(endpoints);
        long[] cumulative = new long[es.length];
        long total = 0;
        for (int i = 0; i < es.length; i++) {
            total += Math.max(1, es[i].weight());
            cumulative[i] = total;
        }
        return new WeightedRandomSelector(List.copyOf(endpoints), es, cumulative);
    }

    private static final class WeightedRandomSelector implements Selector {
        private final List<? extends Endpoint> endpoints;
        private final Endpoint[] es;
        private final long[] cumulative;
        private final long total;

        WeightedRandomSelector(List<? extends Endpoint> endpoints, Endpoint[] es, long[] cumulative) {
            this.endpoints = endpoints;
            this.es = es;
            this.cumulative = cumulative;
            this.total = cumulative[cumulative.length - 1];
        }

        @Override
        public List<? extends Endpoint> endpoints() {
            return endpoints;
        }

        @Override
        public Endpoint select(SelectionContext ctx) {
            RandomGenerator rnd = ctx.random();
            int unusable = 0;
            int rampRejects = 0;
            while (true) {
                Endpoint e = es[indexOf(rnd.nextLong(total))];
                if (!ctx.usable(e)) {
                    if (++unusable >= Picks.RANDOM_TRIES) {
                        return Picks.weightedRandomUsable(es, ctx);
                    }
                } else if (rampRejects >= Picks.RAMP_TRIES || Picks.rampAccepts(e, ctx)) {
                    return e;
                } else {
                    rampRejects++;
                }
            }
        }

        /** The first index whose cumulative weight exceeds {@code r}. */
        private int indexOf(long r) {
            int lo = 0;
            int hi = cumulative.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] > r) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }
    }
}
