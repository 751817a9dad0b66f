package dev.switchboard.router.balancer;

import java.util.random.RandomGenerator;

/**
 * Per-request input to {@link Selector#select}. Created by the proxy for each attempt; never
 * shared between requests.
 */
public interface SelectionContext {

    /**
     * Whether this endpoint may take the request now: it is not ejected, its circuit admits a
     * request, it is not draining, and it was not already tried by this request. In panic mode
     * health is ignored but retry exclusions still apply.
     */
    boolean usable(Endpoint endpoint);

    /** The hash of the configured hash key (client IP, header, cookie or path); 0 if absent. */
    long hashKey();

    /** Whether a hash key was present in the request. Hash strategies fall back to random if not. */
    boolean hasHashKey();

    /** The sticky cookie's value (an endpoint ID's string form), or null. */
    String stickyKey();

    /** Monotonic clock reading for this decision. */
    long nowNanos();

    /** Randomness for this decision; seeded in tests. */
    RandomGenerator random();
}
