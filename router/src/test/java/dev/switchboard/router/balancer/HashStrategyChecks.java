package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Checks shared by {@link RingHashTest} and {@link MaglevTest}: consistency under membership change. */
final class HashStrategyChecks {

    private HashStrategyChecks() {
    }

    static long[] randomKeys(int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            keys[i] = rnd.nextLong();
        }
        return keys;
    }

    /** The endpoint ID each key maps to. */
    static String[] assign(LoadBalancingStrategy strategy, List<FakeEndpoint> endpoints, long[] keys) {
        Selector s = strategy.newSelector(endpoints, null);
        FakeContext ctx = new FakeContext(1);
        String[] out = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            out[i] = s.select(ctx.key(keys[i])).id().toString();
        }
        return out;
    }

    static double movedShare(String[] before, String[] after) {
        int moved = 0;
        for (int i = 0; i < before.length; i++) {
            if (!before[i].equals(after[i])) {
                moved++;
            }
        }
        return (double) moved / before.length;
    }

    /** Adding or removing one of N endpoints moves at most 1/N + 5% of keys. */
    static void assertMinimalRemapping(LoadBalancingStrategy strategy, int n) {
        long[] keys = randomKeys(50_000, 1000 + n);
        List<FakeEndpoint> all = FakeEndpoint.count(n + 1);
        List<FakeEndpoint> base = all.subList(0, n);
        String[] before = assign(strategy, base, keys);

        double added = movedShare(before, assign(strategy, all, keys));
        assertThat(added).as("%s: keys moved when 1 of %d is added", strategy.name(), n + 1)
                .isLessThanOrEqualTo(1.0 / n + 0.05).isGreaterThan(0);

        List<FakeEndpoint> removed = new ArrayList<>(base);
        removed.remove(n / 2);
        double gone = movedShare(before, assign(strategy, removed, keys));
        assertThat(gone).as("%s: keys moved when 1 of %d is removed", strategy.name(), n)
                .isLessThanOrEqualTo(1.0 / n + 0.05).isGreaterThan(0);
    }

    /** Keys of an unusable endpoint move elsewhere; no other key moves; walks are deterministic. */
    static void assertUnusableOwnerIsWalkedPast(LoadBalancingStrategy strategy) {
        List<FakeEndpoint> es = FakeEndpoint.count(5);
        long[] keys = randomKeys(20_000, 77);
        String[] before = assign(strategy, es, keys);
        es.get(2).usable = false;
        String[] after = assign(strategy, es, keys);
        String[] again = assign(strategy, es, keys);
        int[] receivers = new int[5];
        for (int i = 0; i < keys.length; i++) {
            assertThat(after[i]).isEqualTo(again[i]).isNotEqualTo("node/e002");
            if (before[i].equals("node/e002")) {
                receivers[Integer.parseInt(after[i].substring(6))]++;
            } else {
                assertThat(after[i]).isEqualTo(before[i]);
            }
        }
        // the unusable endpoint's keys spread over the others rather than all falling on one neighbour
        for (int r : new int[] {0, 1, 3, 4}) {
            assertThat(receivers[r]).as("keys moved to e%03d", r).isGreaterThan(keys.length / 5 / 10);
        }
    }

    /** Null only when nothing is usable; a single usable endpoint is found from any key. */
    static void assertNullOnlyWhenNoneUsable(LoadBalancingStrategy strategy, int n) {
        List<FakeEndpoint> es = FakeEndpoint.count(n);
        es.forEach(e -> e.usable = false);
        Selector s = strategy.newSelector(es, null);
        FakeContext ctx = new FakeContext(5);
        assertThat(s.select(ctx.key(42))).isNull();
        es.get(n - 1).usable = true;
        for (long k : randomKeys(200, 9)) {
            assertThat(s.select(ctx.key(k))).isSameAs(es.get(n - 1));
        }
    }
}
