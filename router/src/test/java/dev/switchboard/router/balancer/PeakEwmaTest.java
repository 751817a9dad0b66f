package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PeakEwmaTest {

    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    @Test
    void isZeroUntilTheFirstSampleWhichItTakesAsIs() {
        PeakEwma ewma = new PeakEwma();
        assertThat(ewma.value(123)).isZero();
        ewma.observe(20 * MS, 5 * S);
        assertThat(ewma.value(5 * S)).isEqualTo(20.0 * MS);
    }

    @Test
    void decaysWithTheTimeConstantWhileIdle() {
        PeakEwma ewma = new PeakEwma(); // tau = 10 s
        ewma.observe(100 * MS, 0);
        assertThat(ewma.value(10 * S)).isCloseTo(100.0 * MS / Math.E, within(1.0));
        assertThat(ewma.value(20 * S)).isCloseTo(100.0 * MS / Math.E / Math.E, within(1.0));
        assertThat(ewma.value(-5 * S)).as("a reading older than the sample does not inflate it").isEqualTo(100.0 * MS);
    }

    @Test
    void aHigherSampleReplacesTheEstimateAtOnce() {
        PeakEwma ewma = new PeakEwma();
        ewma.observe(10 * MS, 0);
        ewma.observe(500 * MS, 1 * MS);
        assertThat(ewma.value(1 * MS)).isEqualTo(500.0 * MS);
    }

    @Test
    void aLowerSampleIsBlendedByElapsedTime() {
        PeakEwma ewma = new PeakEwma();
        ewma.observe(100 * MS, 0);
        ewma.observe(0, 10 * S); // decayed estimate 100/e, then + 0 * (1 - 1/e)
        assertThat(ewma.value(10 * S)).isCloseTo(100.0 * MS / Math.E, within(1.0));
        ewma.observe(10 * MS, 20 * S); // w = 1/e: 100/e^2 + 10 * (1 - 1/e)
        double expected = 100.0 * MS / Math.E / Math.E + 10.0 * MS * (1 - 1 / Math.E);
        assertThat(ewma.value(20 * S)).isCloseTo(expected, within(1.0));
        // a sample at the same instant carries no weight: the estimate is a time average
        double before = ewma.value(20 * S);
        ewma.observe(1 * MS, 20 * S);
        assertThat(ewma.value(20 * S)).isEqualTo(before);
    }

    @Test
    void recoversTowardALowerSteadyLatencyAfterASpike() {
        PeakEwma ewma = new PeakEwma();
        long now = 0;
        ewma.observe(1_000 * MS, now);
        for (int i = 0; i < 600; i++) { // 60 s of 10 ms responses every 100 ms
            now += 100 * MS;
            ewma.observe(10 * MS, now);
        }
        assertThat(ewma.value(now)).isCloseTo(10.0 * MS, within(3.0 * MS));
    }

    @Test
    void concurrentObservationsKeepTheEstimateWithinTheSampledRange() throws Exception {
        PeakEwma ewma = new PeakEwma(S);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long seed = t;
            threads.add(new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                for (int i = 0; i < 50_000; i++) {
                    ewma.observe(rnd.nextLong(10 * MS, 20 * MS), i * 1_000L);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(20));
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(ewma.value(50_000 * 1_000L)).isBetween(10.0 * MS, 20.0 * MS);
    }

    @Test
    void rejectsANonPositiveTimeConstant() {
        assertThatThrownBy(() -> new PeakEwma(0)).hasMessage("tauNanos: 0 (expected: > 0)");
    }
}
