package dev.switchboard.router.balancer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sticky}: the request's sticky cookie ({@link SelectionContext#stickyKey()}) names an
 * endpoint by {@code InstanceId.toString()}; if that endpoint is in this selector and usable it is
 * picked, otherwise the fallback strategy picks (unknown or stale cookie, ejected or draining
 * backend, or a retry after it failed). The proxy then sets the cookie from the picked endpoint's
 * ID. The ID lookup is a map built once per selector.
 *
 * <p>The fallback selector is built with the previous sticky selector's fallback as its previous,
 * so its state (round-robin position, …) carries over too.
 */
public final class Sticky implements LoadBalancingStrategy {

    public static final String NAME = "sticky";

    private final LoadBalancingStrategy fallback;

    public Sticky(LoadBalancingStrategy fallback) {
        if (fallback == null || fallback instanceof Sticky) {
            throw new IllegalArgumentException("sticky.fallback: " + (fallback == null ? null : fallback.name())
                    + " (expected: a strategy other than sticky)");
        }
        this.fallback = fallback;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The strategy used when the cookie does not decide. */
    public LoadBalancingStrategy fallback() {
        return fallback;
    }

    @Override
    public Selector newSelector(List<? extends Endpoint> endpoints, Selector previous) {
        Selector previousFallback = previous instanceof StickySelector s ? s.fallback : previous;
        Map<String, Endpoint> byId = new HashMap<>();
        for (Endpoint e : Picks.array(endpoints)) {
            byId.put(e.id().toString(), e);
        }
        return new StickySelector(byId, fallback.newSelector(endpoints, previousFallback));
    }

    private static final class StickySelector implements Selector {
        private final Map<String, Endpoint> byId;
        private final Selector fallback;

        StickySelector(Map<String, Endpoint> byId, Selector fallback) {
            this.byId = byId;
            this.fallback = fallback;
        }

        @Override
        public List<? extends Endpoint> endpoints() {
            return fallback.endpoints();
        }

        @Override
        public Endpoint select(SelectionContext ctx) {
            String key = ctx.stickyKey();
            if (key != null) {
                Endpoint e = byId.get(key);
                if (e != null && ctx.usable(e)) {
                    return e;
                }
            }
            return fallback.select(ctx);
        }
    }
}
