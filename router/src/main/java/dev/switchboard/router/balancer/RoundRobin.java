package dev.switchboard.router.balancer;

import dev.switchboard.discovery.InstanceId;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code round_robin}: endpoints in turn, ignoring weights. One shared {@code long} counter (one
 * atomic increment per pick). An unusable endpoint costs its turn, so the others stay evenly loaded
 * rather than its successor taking double. A new selector continues after the endpoint the previous
 * one picked last, so membership churn does not send everyone back to the first backend.
 *
 * <p>Slow start as in {@link SmoothWeightedRoundRobin}: the turn of an endpoint that is ramping up is
 * taken with probability {@link Endpoint#slowStartFactor} and otherwise passed to the next one, so its
 * share is its factor times an equal share (after {@link Picks#RAMP_TRIES} passes in one pick the next
 * usable endpoint is taken).
 */
public final class RoundRobin implements LoadBalancingStrategy {

    public static final String NAME = "round_robin";
    public static final RoundRobin INSTANCE = new RoundRobin();

    private RoundRobin() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selector newSelector(List<? extends Endpoint> endpoints, Selector previous) {
        Endpoint[] es = Picks.array(endpoints);
        return new RoundRobinSelector(List.copyOf(endpoints), es, startAfter(previous, es));
    }

    /** A selector whose counter starts at {@code counter} (tests: behaviour near overflow). */
    static Selector withCounter(List<? extends Endpoint> endpoints, long counter) {
        return new RoundRobinSelector(List.copyOf(endpoints), Picks.array(endpoints), counter);
    }

    /** Index of the first endpoint ordered after the previous selector's last pick (lists are sorted). */
    private static long startAfter(Selector previous, Endpoint[] es) {
        if (!(previous instanceof RoundRobinSelector p)) {
            return 0;
        }
        InstanceId last = p.lastPicked().id();
        for (int i = 0; i < es.length; i++) {
            if (es[i].id().compareTo(last) > 0) {
                return i;
            }
        }
        return 0;
    }

    private static final class RoundRobinSelector implements Selector {
        private final List<? extends Endpoint> endpoints;
        private final Endpoint[] es;
        private final AtomicLong counter;

        RoundRobinSelector(List<? extends Endpoint> endpoints, Endpoint[] es, long start) {
            this.endpoints = endpoints;
            this.es = es;
            this.counter = new AtomicLong(start);
        }

        @Override
        public List<? extends Endpoint> endpoints() {
            return endpoints;
        }

        @Override
        public Endpoint select(SelectionContext ctx) {
            int n = es.length;
            int s = 0;
            int rampPasses = 0;
            Endpoint passed = null;
            for (int i = 0; i < n + rampPasses; i++) {
                s = Picks.slot(counter.getAndIncrement(), n);
                Endpoint e = es[s];
                if (!ctx.usable(e)) {
                    continue;
                }
                if (rampPasses >= Picks.RAMP_TRIES || Picks.rampAccepts(e, ctx)) {
                    return e;
                }
                rampPasses++;
                passed = e;
            }
            if (passed != null) {
                return passed;
            }
            // Other threads may have taken the turns in between: check every endpoint once.
            return Picks.firstUsable(es, s + 1, ctx);
        }

        Endpoint lastPicked() {
            return es[Picks.slot(counter.get() - 1, es.length)];
        }
    }
}
