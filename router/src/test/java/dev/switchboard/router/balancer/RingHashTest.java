package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RingHashTest {

    @Test
    void keySharesFollowWeightsWithin2Percent() {
        var es = FakeEndpoint.weighted(1, 2, 3, 4);
        Selector s = RingHash.INSTANCE.newSelector(es, null);
        FakeContext ctx = new FakeContext(41);
        Tally t = new Tally(4);
        for (long k : HashStrategyChecks.randomKeys(100_000, 43)) {
            t.add(s.select(ctx.key(k)));
        }
        t.assertSharesFollowWeights(es, 0.02);
    }

    @Test
    void theSameKeyAlwaysReachesTheSameEndpoint() {
        var es = FakeEndpoint.count(7);
        Selector a = RingHash.INSTANCE.newSelector(es, null);
        Selector b = RingHash.INSTANCE.newSelector(FakeEndpoint.count(7), a);
        FakeContext ctx = new FakeContext(1);
        for (long k : HashStrategyChecks.randomKeys(1_000, 3)) {
            assertThat(b.select(ctx.key(k)).id()).isEqualTo(a.select(ctx.key(k)).id());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 10, 20})
    void addingOrRemovingOneOfNMovesAboutOneNthOfTheKeys(int n) {
        HashStrategyChecks.assertMinimalRemapping(RingHash.INSTANCE, n);
    }

    @Test
    void anUnusableOwnerIsWalkedPastDeterministically() {
        HashStrategyChecks.assertUnusableOwnerIsWalkedPast(RingHash.INSTANCE);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 70})
    void returnsNullOnlyWhenNoEndpointIsUsable(int n) {
        HashStrategyChecks.assertNullOnlyWhenNoneUsable(RingHash.INSTANCE, n);
    }

    @Test
    void withoutAKeyPicksAtRandom() {
        var es = FakeEndpoint.count(4);
        Tally t = Tally.of(RingHash.INSTANCE.newSelector(es, null), new FakeContext(47), 40_000);
        for (int i = 0; i < 4; i++) {
            assertThat(t.share(i)).isCloseTo(0.25, within(0.02));
        }
    }
}
