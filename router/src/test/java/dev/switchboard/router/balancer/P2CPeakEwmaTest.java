package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class P2CPeakEwmaTest {

    private static final double MS = 1_000_000;
    private final FakeContext ctx = new FakeContext(31);

    @Test
    void equalLatencyEndpointsShareEvenly() {
        var es = FakeEndpoint.count(4);
        es.forEach(e -> e.latencyNanos = 10 * MS);
        Tally t = Tally.of(P2CPeakEwma.INSTANCE.newSelector(es, null), ctx, 100_000);
        for (int i = 0; i < 4; i++) {
            assertThat(t.share(i)).isCloseTo(0.25, within(0.02));
        }
    }

    @Test
    void aSlowEndpointGetsClearlyLessTraffic() {
        var es = FakeEndpoint.count(4);
        es.forEach(e -> e.latencyNanos = 10 * MS);
        es.get(0).latencyNanos = 200 * MS;
        Tally t = Tally.of(P2CPeakEwma.INSTANCE.newSelector(es, null), ctx, 40_000);
        assertThat(t.counts[0]).isZero();
    }

    @Test
    void latencyIsWeighedAgainstRequestsInFlight() {
        var es = FakeEndpoint.count(2);
        es.get(0).latencyNanos = 10 * MS;
        es.get(0).inFlight = 9;          // 10 ms * 10 = 100
        es.get(1).latencyNanos = 40 * MS; // 40 ms * 1 = 40
        Selector s = P2CPeakEwma.INSTANCE.newSelector(es, null);
        assertThat(s.select(ctx)).isSameAs(es.get(1));
        es.get(0).inFlight = 2;          // 30 < 40
        assertThat(s.select(ctx)).isSameAs(es.get(0));
    }

    @Test
    void anUnmeasuredEndpointIsTriedWhenIdleButNotFloodedWhileBusy() {
        var es = FakeEndpoint.count(2);
        es.get(0).latencyNanos = 5 * MS;
        Selector s = P2CPeakEwma.INSTANCE.newSelector(es, null);
        assertThat(s.select(ctx)).as("idle and unmeasured costs 0").isSameAs(es.get(1));
        es.get(1).inFlight = 1;
        es.get(0).inFlight = 50;
        assertThat(s.select(ctx)).as("unmeasured with a request out: penalty").isSameAs(es.get(0));
        assertThat(P2CPeakEwma.cost(es.get(1), 0)).isGreaterThan(P2CPeakEwma.PENALTY);
    }

    @Test
    void skipsUnusableAndReturnsNullOnlyWhenNoneIsUsable() {
        var es = FakeEndpoint.count(3);
        es.get(2).usable = false;
        Selector s = P2CPeakEwma.INSTANCE.newSelector(es, null);
        Tally t = Tally.of(s, ctx, 1_000);
        assertThat(t.counts[2]).isZero();
        es.forEach(e -> e.usable = false);
        assertThat(s.select(ctx)).isNull();
    }
}
