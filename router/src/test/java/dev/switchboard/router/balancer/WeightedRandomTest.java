package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WeightedRandomTest {

    private final FakeContext ctx = new FakeContext(23);

    @Test
    void sharesFollowWeightsWithin2Percent() {
        var es = FakeEndpoint.weighted(1, 2, 3, 4);
        Tally t = Tally.of(WeightedRandom.INSTANCE.newSelector(es, null), ctx, 100_000);
        t.assertSharesFollowWeights(es, 0.02);
    }

    @Test
    void unusableEndpointsAreSkippedAndTheOthersKeepTheirRatio() {
        var es = FakeEndpoint.weighted(1, 2, 3, 4);
        es.get(3).usable = false; // 40% of draws miss: retried, then the weighted scan
        Tally t = Tally.of(WeightedRandom.INSTANCE.newSelector(es, null), ctx, 100_000);
        assertThat(t.counts[3]).isZero();
        assertThat(t.share(0)).isCloseTo(1 / 6.0, within(0.02));
        assertThat(t.share(1)).isCloseTo(2 / 6.0, within(0.02));
        assertThat(t.share(2)).isCloseTo(3 / 6.0, within(0.02));
    }

    @Test
    void theFallbackScanKeepsWeightsWhenMostAreUnusable() {
        var es = FakeEndpoint.weighted(9, 9, 9, 9, 9, 9, 1, 3);
        for (int i = 0; i < 6; i++) {
            es.get(i).usable = false; // 93% of draws miss: nearly every pick goes through the scan
        }
        Tally t = Tally.of(WeightedRandom.INSTANCE.newSelector(es, null), ctx, 50_000);
        assertThat(t.share(6)).isCloseTo(0.25, within(0.02));
        assertThat(t.share(7)).isCloseTo(0.75, within(0.02));
    }

    @Test
    void slowStartScalesTheShareByTheRampFactor() {
        var es = FakeEndpoint.weighted(2, 2, 4);
        es.get(2).slowStartFactor = 0.5; // effective weights 2, 2, 2
        Tally t = Tally.of(WeightedRandom.INSTANCE.newSelector(es, null), ctx, 100_000);
        for (int i = 0; i < 3; i++) {
            assertThat(t.share(i)).isCloseTo(1 / 3.0, within(0.02));
        }
    }

    @Test
    void returnsNullOnlyWhenNoEndpointIsUsable() {
        var es = FakeEndpoint.weighted(1, 5);
        es.forEach(e -> e.usable = false);
        Selector s = WeightedRandom.INSTANCE.newSelector(es, null);
        assertThat(s.select(ctx)).isNull();
        es.get(0).usable = true;
        assertThat(s.select(ctx)).isSameAs(es.get(0));
    }
}
