package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaglevTest {

    @Test
    void keySharesFollowWeightsWithin2Percent() {
        var es = FakeEndpoint.weighted(1, 2, 3, 4);
        Selector s = Maglev.INSTANCE.newSelector(es, null);
        FakeContext ctx = new FakeContext(53);
        Tally t = new Tally(4);
        for (long k : HashStrategyChecks.randomKeys(100_000, 59)) {
            t.add(s.select(ctx.key(k)));
        }
        t.assertSharesFollowWeights(es, 0.02);
    }

    @Test
    void tableSizeIsAPrimeOfAtLeast100PerEndpoint() {
        assertThat(Maglev.tableSize(1)).isEqualTo(65537);
        assertThat(Maglev.tableSize(655)).isEqualTo(65537);
        for (int n : new int[] {656, 1000, 5000}) {
            int m = Maglev.tableSize(n);
            assertThat(m).isGreaterThanOrEqualTo(100 * n);
            assertThat(BigInteger.valueOf(m).isProbablePrime(50)).as("%d is prime", m).isTrue();
        }
    }

    @Test
    void theSameKeyAlwaysReachesTheSameEndpoint() {
        Selector a = Maglev.INSTANCE.newSelector(FakeEndpoint.count(7), null);
        Selector b = Maglev.INSTANCE.newSelector(FakeEndpoint.count(7), a);
        FakeContext ctx = new FakeContext(1);
        for (long k : HashStrategyChecks.randomKeys(1_000, 3)) {
            assertThat(b.select(ctx.key(k)).id()).isEqualTo(a.select(ctx.key(k)).id());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 10, 20})
    void addingOrRemovingOneOfNMovesAboutOneNthOfTheKeys(int n) {
        HashStrategyChecks.assertMinimalRemapping(Maglev.INSTANCE, n);
    }

    @Test
    void anUnusableOwnerIsWalkedPastDeterministically() {
        HashStrategyChecks.assertUnusableOwnerIsWalkedPast(Maglev.INSTANCE);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 70})
    void returnsNullOnlyWhenNoEndpointIsUsable(int n) {
        HashStrategyChecks.assertNullOnlyWhenNoneUsable(Maglev.INSTANCE, n);
    }

    @Test
    void withoutAKeyPicksAtRandom() {
        var es = FakeEndpoint.count(4);
        Tally t = Tally.of(Maglev.INSTANCE.newSelector(es, null), new FakeContext(61), 40_000);
        for (int i = 0; i < 4; i++) {
            assertThat(t.share(i)).isCloseTo(0.25, within(0.02));
        }
    }
}
