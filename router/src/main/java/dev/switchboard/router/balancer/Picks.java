package dev.switchboard.router.balancer;

import java.util.List;
import java.util.random.RandomGenerator;

/** Allocation-free building blocks shared by the selectors. */
final class Picks {

    /** Random draws tried before an unbiased scan when the drawn endpoint is unusable. */
    static final int RANDOM_TRIES = 4;
    /** Slow-start rejections tolerated per pick before a usable candidate is taken anyway. */
    static final int RAMP_TRIES = 8;

    private Picks() {
    }

    /** The list as an array, checked non-empty. */
    static Endpoint[] array(List<? extends Endpoint> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints: [] (expected: at least one)");
        }
        return endpoints.toArray(new Endpoint[0]);
    }

    /**
     * {@code counter mod n}, reading the counter as an unsigned 64-bit count: never negative, and the
     * sequence stays in order where the signed value wraps from {@code Long.MAX_VALUE} to
     * {@code Long.MIN_VALUE} ({@code Math.floorMod} would repeat or skip a slot there).
     */
    static int slot(long counter, int n) {
        if (counter >= 0) {
            return (int) (counter % n);
        }
        long q = ((counter >>> 1) / n) << 1; // Hacker's Delight unsigned division by a positive divisor
        long r = counter - q * n;            // in [0, 2n)
        return (int) (r >= n ? r - n : r);
    }

    /** A uniformly random usable endpoint, or null if none is usable. */
    static Endpoint randomUsable(Endpoint[] es, SelectionContext ctx) {
        RandomGenerator rnd = ctx.random();
        int n = es.length;
        if (n == 1) {
            return ctx.usable(es[0]) ? es[0] : null;
        }
        for (int i = 0; i < RANDOM_TRIES; i++) {
            Endpoint e = es[rnd.nextInt(n)];
            if (ctx.usable(e)) {
                return e;
            }
        }
        // Many are unusable: reservoir sampling keeps the choice uniform over the usable ones.
        Endpoint chosen = null;
        int seen = 0;
        for (Endpoint e : es) {
            if (ctx.usable(e) && rnd.nextInt(++seen) == 0) {
                chosen = e;
            }
        }
        return chosen;
    }

    /**
     * A random usable endpoint, each kept with probability {@link Endpoint#slowStartFactor} (else the
     * draw is repeated), so that a ramping endpoint's share is its factor times an equal share; or
     * null if none is usable. After {@link #RAMP_TRIES} rejections the last draw is kept.
     */
    static Endpoint rampedRandomUsable(Endpoint[] es, SelectionContext ctx) {
        Endpoint e = null;
        for (int i = 0; i <= RAMP_TRIES; i++) {
            e = randomUsable(es, ctx);
            if (e == null || rampAccepts(e, ctx)) {
                return e;
            }
        }
        return e;
    }

    /**
     * A usable endpoint chosen with probability proportional to {@code weight * slowStartFactor}, or
     * null if none is usable. O(n): the fallback when a table-driven weighted pick hit an unusable one.
     */
    static Endpoint weightedRandomUsable(Endpoint[] es, SelectionContext ctx) {
        RandomGenerator rnd = ctx.random();
        long now = ctx.nowNanos();
        Endpoint chosen = null;
        double total = 0;
        for (Endpoint e : es) {
            if (ctx.usable(e)) {
                double w = e.weight() * e.slowStartFactor(now);
                total += w;
                if (rnd.nextDouble() * total < w) {
                    chosen = e;
                }
            }
        }
        return chosen;
    }

    /** The first usable endpoint at or after index {@code from} (wrapping), or null. Deterministic. */
    static Endpoint firstUsable(Endpoint[] es, int from, SelectionContext ctx) {
        int n = es.length;
        for (int i = 0; i < n; i++) {
            Endpoint e = es[Math.floorMod(from + i, n)];
            if (ctx.usable(e)) {
                return e;
            }
        }
        return null;
    }

    /** True unless {@code e} is in slow start and a draw with its slow-start factor says skip it. */
    static boolean rampAccepts(Endpoint e, SelectionContext ctx) {
        double f = e.slowStartFactor(ctx.nowNanos());
        return f >= 1.0 || ctx.random().nextDouble() < f;
    }

    /** Greatest common divisor of positive ints. */
    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
