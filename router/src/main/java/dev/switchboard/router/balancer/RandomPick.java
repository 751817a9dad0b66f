package dev.switchboard.router.balancer;

import java.util.List;

/**
 * {@code random}: a uniformly random usable endpoint, ignoring weights. No shared state at all; the
 * randomness comes from {@link SelectionContext#random()}. Slow start applies by rejection, as in
 * {@link WeightedRandom}: a ramping endpoint's draw is kept with probability
 * {@link Endpoint#slowStartFactor}, so its share is that factor times an equal share.
 */
public final class RandomPick implements LoadBalancingStrategy {

    public static final String NAME = "random";
    public static final RandomPick INSTANCE = new RandomPick();

    private RandomPick() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selector newSelector(List<? extends Endpoint> endpoints, Selector previous) {
        Endpoint[] es = Picks.array(endpoints);
        List<? extends Endpoint> list = List.copyOf(endpoints);
        return new Selector() {
            @Override
            public List<? extends Endpoint> endpoints() {
                return list;
            }

            @Override
            public Endpoint select(SelectionContext ctx) {
                return Picks.rampedRandomUsable(es, ctx);
            }
        };
    }
}
