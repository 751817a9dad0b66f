package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Selectors run on every request: a pick must not allocate (no garbage on the hot path). */
class PicksDoNotAllocateTest {

    private static final int PICKS = 100_000;

    static List<String> strategies() {
        return Strategies.names();
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void aPickAllocatesNothing(String name) {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());

        List<FakeEndpoint> es = FakeEndpoint.weighted(1, 2, 3, 4, 5, 6, 7, 8);
        es.get(5).usable = false;          // exercise the skipping paths too
        es.get(2).slowStartFactor = 0.5;   // and slow-start rejection
        es.forEach(e -> e.latencyNanos = 1_000_000 + e.index);
        Selector selector = Strategies.create(name).newSelector(es, null);
        FakeContext ctx = new FakeContext(7);
        ctx.stickyKey = "node/e003";

        long checksum = picks(selector, ctx, 20_000); // warm-up
        long thread = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(thread);
        checksum += picks(selector, ctx, PICKS);
        long allocated = mx.getThreadAllocatedBytes(thread) - before;

        assertThat(checksum).isPositive();
        assertThat(allocated).as("%s: bytes allocated by %d picks", name, PICKS).isLessThan(PICKS / 10);
    }

    private static long picks(Selector selector, FakeContext ctx, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += ((FakeEndpoint) selector.select(ctx.key(ctx.rng().nextLong()))).index + 1;
        }
        return sum;
    }
}
