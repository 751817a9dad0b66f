package dev.switchboard.router.balancer;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** In-memory {@link SelectionContext} with a seeded RNG; reused across picks by one thread. */
final class FakeContext implements SelectionContext {

    private final SplittableRandom random;
    long hashKey;
    boolean hasHashKey;
    String stickyKey;
    long nowNanos = 1_000_000_000L;
    /** An endpoint this request already tried (a retry exclusion), or null. */
    Endpoint excluded;

    FakeContext(long seed) {
        this.random = new SplittableRandom(seed);
    }

    FakeContext key(long key) {
        this.hashKey = key;
        this.hasHashKey = true;
        return this;
    }

    @Override
    public boolean usable(Endpoint endpoint) {
        return ((FakeEndpoint) endpoint).usable && endpoint != excluded;
    }

    @Override
    public long hashKey() {
        return hashKey;
    }

    @Override
    public boolean hasHashKey() {
        return hasHashKey;
    }

    @Override
    public String stickyKey() {
        return stickyKey;
    }

    @Override
    public long nowNanos() {
        return nowNanos;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    SplittableRandom rng() {
        return random;
    }
}
