package dev.switchboard.router.balancer;

import java.util.Arrays;
import java.util.List;

/**
 * {@code ring_hash}: consistent hashing on a ring of virtual nodes, keyed by
 * {@link SelectionContext#hashKey()}. Each endpoint owns {@code weight * VNODES_PER_WEIGHT} points
 * (weights first divided by their common divisor) placed by hashing its ID, so its share of keys is
 * proportional to its weight, and adding or removing one of N endpoints moves only about 1/N of the
 * keys. Without a key the pick is random; an unusable owner is walked past to the next usable one
 * ({@link HashTableWalk}).
 *
 * <p>The ring is one sorted {@code long[]}: the high 44 bits of each entry are the point's hash, the
 * low 20 bits the owner's index. A pick is one mix of the key and a binary search. If the ring would
 * exceed {@link #MAX_RING} points, the per-weight count is scaled down to fit; since each endpoint's
 * points are a prefix of one fixed sequence, that costs little extra remapping.
 *
 * <p>Dividing by the common divisor keeps rings small when all weights are equal (say all 100);
 * the price is that a change of that divisor (a backend of weight 50 joining backends of weight 100)
 * reshuffles more keys once.
 *
 * <p>Slow start is not applied: moving keys as a backend ramps up would defeat the hashing.
 */
public final class RingHash implements LoadBalancingStrategy {

    public static final String NAME = "ring_hash";
    public static final RingHash INSTANCE = new RingHash();

    static final int VNODES_PER_WEIGHT = 512;
    static final int MAX_RING = 1 << 17;
    static final int OWNER_BITS = 20;
    private static final long OWNER_MASK = (1L << OWNER_BITS) - 1;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private RingHash() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selector newSelector(List<? extends Endpoint> endpoints, Selector previous) {
        Endpoint[] es = Picks.array(endpoints);
        if (es.length > OWNER_MASK) {
            throw new IllegalArgumentException("endpoints: " + es.length + " (expected: <= " + OWNER_MASK + " for ring_hash)");
        }
        return new RingSelector(List.copyOf(endpoints), es, buildRing(es));
    }

    private static long[] buildRing(Endpoint[] es) {
        int g = 0;
        long totalWeight = 0;
        for (Endpoint e : es) {
            g = Picks.gcd(Math.max(1, e.weight()), g);
        }
        for (Endpoint e : es) {
            totalWeight += Math.max(1, e.weight()) / g;
        }
        double perWeight = Math.min(VNODES_PER_WEIGHT, (double) MAX_RING / totalWeight);
        int[] counts = new int[es.length];
        int size = 0;
        for (int i = 0; i < es.length; i++) {
            counts[i] = (int) Math.max(1, Math.round(Math.max(1, es[i].weight()) / g * perWeight));
            size += counts[i];
        }
        long[] ring = new long[size];
        int k = 0;
        for (int i = 0; i < es.length; i++) {
            long base = HashKeys.hash(es[i].id().toString());
            for (int v = 0; v < counts[i]; v++) {
                long point = HashKeys.mix(base + (v + 1) * GOLDEN); // SplitMix64 sequence per endpoint
                ring[k++] = (point & ~OWNER_MASK) | i;
            }
        }
        Arrays.sort(ring);
        return ring;
    }

    private static final class RingSelector implements Selector, HashTableWalk.Owners {
        private final List<? extends Endpoint> endpoints;
        private final Endpoint[] es;
        private final long[] ring;

        RingSelector(List<? extends Endpoint> endpoints, Endpoint[] es, long[] ring) {
            this.endpoints = endpoints;
            this.es = es;
            this.ring = ring;
        }

        @Override
        public List<? extends Endpoint> endpoints() {
            return endpoints;
        }

        @Override
        public Endpoint select(SelectionContext ctx) {
            if (!ctx.hasHashKey()) {
                return Picks.randomUsable(es, ctx);
            }
            int pos = Arrays.binarySearch(ring, HashKeys.mix(ctx.hashKey()));
            if (pos < 0) {
                pos = -pos - 1; // first point after the key
            }
            if (pos == ring.length) {
                pos = 0;
            }
            Endpoint e = es[ownerAt(pos)];
            return ctx.usable(e) ? e : HashTableWalk.next(this, pos, es, ctx);
        }

        @Override
        public int size() {
            return ring.length;
        }

        @Override
        public int ownerAt(int position) {
            return (int) (ring[position] & OWNER_MASK);
        }
    }
}
