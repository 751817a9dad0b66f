package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards the race of many IO threads picking from one selector at once: every pick must be a valid
 * endpoint, shared counters must neither lose nor repeat turns, and distributions must still hold.
 */
class ConcurrentPicksTest {

    private static final int THREADS = 4;
    private static final int PICKS_PER_THREAD = 25_000;
    private static final Set<String> WEIGHTED = Set.of("weighted_round_robin", "weighted_random", "ring_hash", "maglev");
    private static final Set<String> P2C = Set.of("least_request", "peak_ewma");

    static List<String> strategies() {
        return Strategies.names();
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void concurrentPicksAreValidAndKeepTheDistribution(String name) throws Exception {
        List<FakeEndpoint> es = FakeEndpoint.weighted(1, 2, 3, 4);
        es.forEach(e -> e.latencyNanos = 5_000_000);
        Selector selector = Strategies.create(name).newSelector(es, null);
        AtomicLongArray counts = new AtomicLongArray(es.size());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> invalid = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                FakeContext ctx = new FakeContext(100 + t);
                invalid.add(pool.submit(() -> {
                    start.await();
                    int bad = 0;
                    for (int i = 0; i < PICKS_PER_THREAD; i++) {
                        Endpoint e = selector.select(ctx.key(ctx.rng().nextLong()));
                        if (!(e instanceof FakeEndpoint f) || es.get(f.index) != f) {
                            bad++;
                        } else {
                            counts.incrementAndGet(f.index);
                        }
                    }
                    return bad;
                }));
            }
            start.countDown();
            for (Future<Integer> f : invalid) {
                assertThat(f.get(30, TimeUnit.SECONDS)).as("invalid picks").isZero();
            }
        } finally {
            pool.shutdownNow();
        }

        long total = (long) THREADS * PICKS_PER_THREAD;
        for (FakeEndpoint e : es) {
            double expected = WEIGHTED.contains(name) ? e.weight() / 10.0
                    : P2C.contains(name) ? e.index / 6.0 // idle: of two, the heavier wins; e(i) beats i of 3 others
                    : 0.25;
            long count = counts.get(e.index);
            if (name.equals("round_robin") || name.equals("weighted_round_robin") || name.equals("sticky")) {
                // one shared counter: 100,000 turns are exactly 10,000 periods
                assertThat(count).as("%s picks of %s", name, e).isEqualTo(Math.round(total * expected));
            } else {
                assertThat((double) count / total).as("%s share of %s", name, e).isCloseTo(expected,
                        org.assertj.core.data.Offset.offset(0.02));
            }
        }
    }
}
