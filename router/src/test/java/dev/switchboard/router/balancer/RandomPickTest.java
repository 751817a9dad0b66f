package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RandomPickTest {

    private final FakeContext ctx = new FakeContext(17);

    @Test
    void picksUniformlyIgnoringWeights() {
        var es = FakeEndpoint.weighted(1, 2, 3, 4);
        Tally t = Tally.of(RandomPick.INSTANCE.newSelector(es, null), ctx, 100_000);
        for (int i = 0; i < 4; i++) {
            assertThat(t.share(i)).isCloseTo(0.25, within(0.02));
        }
    }

    @Test
    void unusableEndpointsAreSkippedAndTheRestStayUniform() {
        var es = FakeEndpoint.count(5);
        es.get(0).usable = false;
        es.get(3).usable = false;
        Tally t = Tally.of(RandomPick.INSTANCE.newSelector(es, null), ctx, 90_000);
        assertThat(t.counts[0] + t.counts[3]).isZero();
        for (int i : new int[] {1, 2, 4}) {
            assertThat(t.share(i)).isCloseTo(1 / 3.0, within(0.02));
        }
    }

    @Test
    void returnsNullOnlyWhenNoEndpointIsUsable() {
        var es = FakeEndpoint.count(3);
        es.forEach(e -> e.usable = false);
        Selector s = RandomPick.INSTANCE.newSelector(es, null);
        assertThat(s.select(ctx)).isNull();
        es.get(2).usable = true;
        assertThat(s.select(ctx)).isSameAs(es.get(2));
    }

    @Test
    void aSingleEndpointIsPickedWhileUsable() {
        var es = FakeEndpoint.count(1);
        Selector s = RandomPick.INSTANCE.newSelector(es, null);
        assertThat(s.select(ctx)).isSameAs(es.get(0));
        ctx.excluded = es.get(0);
        assertThat(s.select(ctx)).isNull();
    }
}
