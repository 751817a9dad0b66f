package dev.switchboard.router.balancer;

import java.util.Arrays;
import java.util.List;

/**
 * {@code maglev}: Google's Maglev consistent hashing (Eisenbud et al., NSDI 2016), keyed by
 * {@link SelectionContext#hashKey()}. Each endpoint gets a permutation of a prime-sized lookup
 * table from two hashes of its ID ({@code offset}, {@code skip}); endpoints take turns claiming their
 * next free preferred slot until the table is full. A pick is one mix of the key and one array read.
 * Shares are even to within one slot, and adding or removing one of N endpoints moves slightly more
 * than 1/N of the keys.
 *
 * <p>Weighted as in Envoy: in each round an endpoint claims a slot only when its accumulated weight
 * allows ({@code round * weight >= target}, {@code target += maxWeight}), so shares follow weights.
 * The table size is {@value #DEFAULT_TABLE_SIZE}, or the next prime &ge; 100 &times; N for large
 * services (the paper's rule for even shares). Without a key the pick is random; an unusable owner is
 * walked past to the next usable one ({@link HashTableWalk}). Slow start is not applied.
 */
public final class Maglev implements LoadBalancingStrategy {

    public static final String NAME = "maglev";
    public static final Maglev INSTANCE = new Maglev();

    static final int DEFAULT_TABLE_SIZE = 65537;
    private static final char EMPTY = Character.MAX_VALUE;

    private Maglev() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selector newSelector(List<? extends Endpoint> endpoints, Selector previous) {
        Endpoint[] es = Picks.array(endpoints);
        if (es.length >= EMPTY) {
            throw new IllegalArgumentException("endpoints: " + es.length + " (expected: < " + (int) EMPTY + " for maglev)");
        }
        return new MaglevSelector(List.copyOf(endpoints), es, buildTable(es, tableSize(es.length)));
    }

    static int tableSize(int n) {
        long min = 100L * n;
        if (min <= DEFAULT_TABLE_SIZE) {
            return DEFAULT_TABLE_SIZE;
        }
        long p = min | 1;
        while (!isPrime(p)) {
            p += 2;
        }
        return Math.toIntExact(p);
    }

    private static boolean isPrime(long p) {
        for (long d = 3; d * d <= p; d += 2) {
            if (p % d == 0) {
                return false;
            }
        }
        return true;
    }

    private static char[] buildTable(Endpoint[] es, int m) {
        int n = es.length;
        int[] next = new int[n];
        int[] skip = new int[n];
        long[] weight = new long[n];
        long maxWeight = 1;
        for (int i = 0; i < n; i++) {
            long h = HashKeys.hash(es[i].id().toString());
            next[i] = (int) ((h >>> 1) % m);
            skip[i] = (int) ((HashKeys.mix(h) >>> 1) % (m - 1)) + 1;
            weight[i] = Math.max(1, es[i].weight());
            maxWeight = Math.max(maxWeight, weight[i]);
        }
        char[] table = new char[m];
        Arrays.fill(table, EMPTY);
        long[] target = new long[n];
        int filled = 0;
        for (long round = 0; filled < m; round++) {
            for (int i = 0; i < n && filled < m; i++) {
                if (round * weight[i] < target[i]) {
                    continue;
                }
                target[i] += maxWeight;
                int c = next[i];
                while (table[c] != EMPTY) {
                    c += skip[i];
                    if (c >= m) {
                        c -= m;
                    }
                }
                table[c] = (char) i;
                c += skip[i];
                next[i] = c >= m ? c - m : c;
                filled++;
            }
        }
        return table;
    }

    private static final class MaglevSelector implements Selector, HashTableWalk.Owners {
        private final List<? extends Endpoint> endpoints;
        private final Endpoint[] es;
        private final char[] table;

        MaglevSelector(List<? extends Endpoint> endpoints, Endpoint[] es, char[] table) {
            this.endpoints = endpoints;
            this.es = es;
            this.table = table;
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
            int pos = (int) ((HashKeys.mix(ctx.hashKey()) >>> 1) % table.length);
            Endpoint e = es[table[pos]];
            return ctx.usable(e) ? e : HashTableWalk.next(this, pos, es, ctx);
        }

        @Override
        public int size() {
            return table.length;
        }

        @Override
        public int ownerAt(int position) {
            return table[position];
        }
    }
}
