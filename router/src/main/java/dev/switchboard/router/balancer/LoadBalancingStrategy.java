package dev.switchboard.router.balancer;

import java.util.List;

/**
 * A load-balancing algorithm as a factory: turns an immutable endpoint list into a {@link Selector}.
 * A membership change builds a new selector in one place; the previous selector is passed in so
 * that state worth keeping (round-robin position, smooth-WRR current weights) can carry over.
 */
public interface LoadBalancingStrategy {

    /** The configuration name, e.g. {@code round_robin}. */
    String name();

    /**
     * @param endpoints sorted by identity, never empty
     * @param previous  the selector this one replaces, or null
     */
    Selector newSelector(List<? extends Endpoint> endpoints, Selector previous);
}
