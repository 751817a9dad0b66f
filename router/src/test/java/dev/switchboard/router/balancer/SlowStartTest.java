package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SlowStartTest {

    private static final long ADDED = 5_000_000_000L;
    private static final long WINDOW = 60_000_000_000L;

    @Test
    void rampsFromTenPercentToTheFullWeight() {
        assertThat(SlowStart.effectiveWeight(100, ADDED, WINDOW, ADDED)).isEqualTo(10);
        assertThat(SlowStart.effectiveWeight(100, ADDED, WINDOW, ADDED + WINDOW / 2)).isEqualTo(50);
        assertThat(SlowStart.effectiveWeight(100, ADDED, WINDOW, ADDED + WINDOW)).isEqualTo(100);
        assertThat(SlowStart.effectiveWeight(100, ADDED, WINDOW, ADDED + 10 * WINDOW)).isEqualTo(100);
        assertThat(SlowStart.factor(ADDED, WINDOW, ADDED + WINDOW / 4)).isCloseTo(0.25, within(1e-9));
    }

    @Test
    void isMonotonicAndAlwaysAtLeastOne() {
        for (int weight : new int[] {1, 2, 3, 10, 1000}) {
            int previous = 0;
            double previousFactor = 0;
            for (long t = ADDED - WINDOW / 10; t <= ADDED + WINDOW * 11 / 10; t += WINDOW / 997) {
                int w = SlowStart.effectiveWeight(weight, ADDED, WINDOW, t);
                double f = SlowStart.factor(ADDED, WINDOW, t);
                assertThat(w).isBetween(1, weight).isGreaterThanOrEqualTo(previous);
                assertThat(f).isBetween(SlowStart.MIN_FACTOR, 1.0).isGreaterThanOrEqualTo(previousFactor);
                previous = w;
                previousFactor = f;
            }
            assertThat(previous).isEqualTo(weight);
        }
    }

    @Test
    void offWhenTheWindowIsZero() {
        assertThat(SlowStart.effectiveWeight(7, ADDED, 0, ADDED)).isEqualTo(7);
        assertThat(SlowStart.factor(ADDED, 0, ADDED)).isEqualTo(1.0);
    }

    @Test
    void worksAcrossNanoTimeOverflow() {
        long added = Long.MAX_VALUE - WINDOW / 2;
        long now = added + WINDOW / 2; // wraps negative
        assertThat(SlowStart.factor(added, WINDOW, now)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aggressionFollowsEnvoysCurve() {
        // factor = max(0.1, t^(1/aggression)): aggression 2 at a quarter of the window gives 0.5
        assertThat(SlowStart.factor(ADDED, WINDOW, ADDED + WINDOW / 4, 2.0)).isCloseTo(0.5, within(1e-9));
        assertThat(SlowStart.factor(ADDED, WINDOW, ADDED + WINDOW / 4, 0.5)).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void theDefaultEndpointFactorFollowsEffectiveWeight() {
        Endpoint e = new Endpoint() {
            public dev.switchboard.discovery.InstanceId id() {
                return new dev.switchboard.discovery.InstanceId("n", "s");
            }

            public int weight() {
                return 10;
            }

            public int effectiveWeight(long nowNanos) {
                return 4;
            }

            public int inFlight() {
                return 0;
            }

            public double latencyEwmaNanos(long nowNanos) {
                return 0;
            }
        };
        assertThat(e.slowStartFactor(0)).isEqualTo(0.4);
    }
}
