package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every strategy that README says ramps gives a backend in slow start about {@code factor} times the
 * share it has at full weight (Envoy: weight × time factor), among equal, idle backends; the hash
 * strategies are left out on purpose (ramping would move keys). Round robin, random and least request
 * once ignored the factor (a full share from the start) or starved the backend (least request).
 */
class SlowStartSharesTest {

    @ParameterizedTest
    @ValueSource(strings = {"round_robin", "weighted_round_robin", "random", "weighted_random",
            "least_request", "peak_ewma"})
    void aRampingBackendGetsItsFactorTimesAnEqualShare(String strategy) {
        FakeContext ctx = new FakeContext(17);
        var es = FakeEndpoint.count(4);
        Selector s = Strategies.create(strategy).newSelector(es, null);
        for (double factor : new double[] {0.1, 0.25, 0.5}) {
            es.get(1).slowStartFactor = factor;
            Tally t = Tally.of(s, ctx, 60_000);
            double expected = factor / (3 + factor);
            assertThat(t.share(1)).as("%s at factor %.2f", strategy, factor).isCloseTo(expected, within(0.01));
            for (int i : new int[] {0, 2, 3}) {
                assertThat(t.share(i)).as("%s at factor %.2f, e%d", strategy, factor, i)
                        .isCloseTo(1 / (3 + factor), within(0.015));
            }
        }
        es.get(1).slowStartFactor = 1.0;
        assertThat(Tally.of(s, ctx, 60_000).share(1)).as("%s after the window", strategy).isCloseTo(0.25, within(0.01));
    }
}
