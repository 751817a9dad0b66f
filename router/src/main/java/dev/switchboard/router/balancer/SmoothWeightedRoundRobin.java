package dev.switchboard.router.balancer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code weighted_round_robin}: nginx's smooth weighted round robin. Weights 5, 1, 1 give
 * {@code a a b a c a a}, not {@code a a a a a b c}: the heaviest backend never gets a burst.
 *
 * <p>Lock-free and O(1) per pick: the period of the sequence is precomputed at build time
 * ({@link SmoothSchedule}) and picked from with one shared {@code long} counter. Unusable endpoints
 * lose their slot. Slow start is applied per pick: a slot whose endpoint is ramping up is taken with
 * probability {@link Endpoint#slowStartFactor} and otherwise passed to the next slot, so its share
 * is {@code weight * factor} (bounded work: after {@link Picks#RAMP_TRIES} such passes the next
 * usable slot is taken).
 *
 * <p>On a membership change the new selector carries over the smooth-WRR current weights of
 * endpoints that stay: it starts at the phase of the new period whose current weights are closest
 * to theirs, so a backend just picked is not picked again at once and the heaviest backend does not
 * restart with a run of picks.
 */
public final class SmoothWeightedRoundRobin implements LoadBalancingStrategy {

    public static final String NAME = "weighted_round_robin";
    public static final SmoothWeightedRoundRobin INSTANCE = new SmoothWeightedRoundRobin();

    /** Slots passed over for unusable endpoints before a linear scan over all endpoints. */
    private static final int MAX_SKIPS = 32;

    private SmoothWeightedRoundRobin() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selector newSelector(List<? extends Endpoint> endpoints, Selector previous) {
        Endpoint[] es = Picks.array(endpoints);
        SmoothSchedule schedule = SmoothSchedule.of(weights(es));
        long start = previous instanceof SwrrSelector p ? schedule.bestPhase(p.carriedState(es)) : 0;
        return new SwrrSelector(List.copyOf(endpoints), es, schedule, start);
    }

    /** A selector whose counter starts at {@code counter} (tests: behaviour near overflow). */
    static Selector withCounter(List<? extends Endpoint> endpoints, long counter) {
        Endpoint[] es = Picks.array(endpoints);
        return new SwrrSelector(List.copyOf(endpoints), es, SmoothSchedule.of(weights(es)), counter);
    }

    private static int[] weights(Endpoint[] es) {
        int[] weights = new int[es.length];
        for (int i = 0; i < es.length; i++) {
            weights[i] = es[i].weight();
        }
        return weights;
    }

    private static final class SwrrSelector implements Selector {
        private final List<? extends Endpoint> endpoints;
        private final Endpoint[] es;
        private final SmoothSchedule schedule;
        private final AtomicLong counter;

        SwrrSelector(List<? extends Endpoint> endpoints, Endpoint[] es, SmoothSchedule schedule, long start) {
            this.endpoints = endpoints;
            this.es = es;
            this.schedule = schedule;
            this.counter = new AtomicLong(start);
        }

        @Override
        public List<? extends Endpoint> endpoints() {
            return endpoints;
        }

        @Override
        public Endpoint select(SelectionContext ctx) {
            int[] slots = schedule.slots;
            int maxDraws = Math.min(slots.length, MAX_SKIPS) + Picks.RAMP_TRIES;
            int rampPasses = 0;
            int idx = 0;
            Endpoint passed = null;
            for (int d = 0; d < maxDraws; d++) {
                idx = slots[Picks.slot(counter.getAndIncrement(), slots.length)];
                Endpoint e = es[idx];
                if (!ctx.usable(e)) {
                    continue;
                }
                if (rampPasses >= Picks.RAMP_TRIES || Picks.rampAccepts(e, ctx)) {
                    return e;
                }
                rampPasses++;
                passed = e;
            }
            return passed != null ? passed : Picks.firstUsable(es, idx + 1, ctx);
        }

        /** This selector's current weights at its position, mapped onto {@code next}; NaN for new ones. */
        double[] carriedState(Endpoint[] next) {
            int phase = Picks.slot(counter.get(), schedule.length());
            double[] mine = schedule.normalizedStateAfter(phase);
            Map<Object, Double> byId = new HashMap<>();
            for (int i = 0; i < es.length; i++) {
                byId.put(es[i].id(), mine[i]);
            }
            double[] out = new double[next.length];
            for (int i = 0; i < next.length; i++) {
                out[i] = byId.getOrDefault(next[i].id(), Double.NaN);
            }
            return out;
        }
    }
}
