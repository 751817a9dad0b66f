package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SmoothWeightedRoundRobinTest {

    private final FakeContext ctx = new FakeContext(3);

    @Test
    void weights511GiveNginxsSequence() {
        var es = FakeEndpoint.weighted(5, 1, 1);
        Selector s = SmoothWeightedRoundRobin.INSTANCE.newSelector(es, null);
        List<String> letters = letters(s, 14);
        assertThat(String.join(" ", letters)).isEqualTo("a a b a c a a a a b a c a a");
    }

    @Test
    void noBurstToTheHeaviestBackend() {
        var es = FakeEndpoint.weighted(5, 1, 1);
        Selector s = SmoothWeightedRoundRobin.INSTANCE.newSelector(es, null);
        // Within one period at most ceil(5 / 2) = 3 in a row (here 2); plain WRR would send 5.
        assertThat(longestRun(letters(s, 7), "a")).isLessThanOrEqualTo(3);
        // Across period boundaries nginx's sequence joins "a a" to "a a": 4 in a row, never 5.
        assertThat(longestRun(letters(s, 700), "a")).isEqualTo(4);
    }

    @Test
    void runsStayShortForManyWeightSets() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + rnd.nextInt(5);
            int[] w = new int[n];
            for (int i = 0; i < n; i++) {
                w[i] = 1 + rnd.nextInt(20);
            }
            var es = FakeEndpoint.weighted(w);
            Selector s = SmoothWeightedRoundRobin.INSTANCE.newSelector(es, null);
            int total = java.util.Arrays.stream(w).sum();
            List<String> seq = new ArrayList<>();
            for (int i = 0; i < 3 * total; i++) {
                seq.add(s.select(ctx).toString());
            }
            for (FakeEndpoint e : es) {
                int others = total - e.weight();
                // the ideal spacing, plus at most 2 for nginx's phase (nginx's own sequence; checked on 5000 random weight sets)
                int bound = (int) Math.ceil((double) e.weight() / others) + 2;
                assertThat(longestRun(seq, e.toString())).as("weights %s, %s", java.util.Arrays.toString(w), e)
                        .isLessThanOrEqualTo(bound);
            }
        }
    }

    @Test
    void sharesFollowWeightsWithin2Percent() {
        var es = FakeEndpoint.weighted(1, 2, 3, 4);
        Tally t = Tally.of(SmoothWeightedRoundRobin.INSTANCE.newSelector(es, null), ctx, 100_000);
        t.assertSharesFollowWeights(es, 0.02);
    }

    @Test
    void anUnusableEndpointsSlotsAreSkippedAndTheOthersKeepTheirRatio() {
        var es = FakeEndpoint.weighted(1, 2, 3, 4);
        es.get(3).usable = false;
        Tally t = Tally.of(SmoothWeightedRoundRobin.INSTANCE.newSelector(es, null), ctx, 60_000);
        assertThat(t.counts[3]).isZero();
        assertThat(t.share(0)).isCloseTo(1 / 6.0, within(0.01));
        assertThat(t.share(1)).isCloseTo(2 / 6.0, within(0.01));
        assertThat(t.share(2)).isCloseTo(3 / 6.0, within(0.01));
    }

    @Test
    void returnsNullOnlyWhenNoEndpointIsUsable() {
        var es = FakeEndpoint.weighted(100, 1);
        es.get(0).usable = false;
        es.get(1).usable = false;
        Selector s = SmoothWeightedRoundRobin.INSTANCE.newSelector(es, null);
        assertThat(s.select(ctx)).isNull();
        es.get(1).usable = true; // its slots are 1 in 101: found by the bounded scan anyway
        for (int i = 0; i < 50; i++) {
            assertThat(s.select(ctx)).isSameAs(es.get(1));
        }
    }

    @Test
    void slowStartScalesTheShareByTheRampFactor() {
        var es = FakeEndpoint.weighted(1, 1, 1, 1);
        es.get(0).slowStartFactor = 0.25;
        Tally t = Tally.of(SmoothWeightedRoundRobin.INSTANCE.newSelector(es, null), ctx, 100_000);
        // effective weights 0.25, 1, 1, 1
        assertThat(t.share(0)).isCloseTo(0.25 / 3.25, within(0.01));
        assertThat(t.share(1)).isCloseTo(1 / 3.25, within(0.01));
    }

    @Test
    void keepsTheSequenceWhenTheCounterPassesLongMaxValue() {
        var es = FakeEndpoint.weighted(5, 1, 1);
        String period = "aabacaa";
        long start = Long.MAX_VALUE - 10;
        int phase = (int) (start % 7);
        List<String> got = letters(SmoothWeightedRoundRobin.withCounter(es, start), 30);
        for (int i = 0; i < 30; i++) {
            assertThat(got.get(i)).as("pick %d", i).isEqualTo(String.valueOf(period.charAt((phase + i) % 7)));
        }
    }

    @Test
    void carriesCurrentWeightsOverSoTheRotationContinues() {
        var abc = FakeEndpoint.count(4).subList(0, 3);
        Selector before = SmoothWeightedRoundRobin.INSTANCE.newSelector(abc, null);
        assertThat(letters(before, 2)).containsExactly("a", "b");

        Selector after = SmoothWeightedRoundRobin.INSTANCE.newSelector(FakeEndpoint.count(4), before);
        assertThat(letters(after, 4)).containsExactly("c", "d", "a", "b");

        Selector fresh = SmoothWeightedRoundRobin.INSTANCE.newSelector(FakeEndpoint.count(4), null);
        assertThat(letters(fresh, 1)).as("without carry-over a would be picked again").containsExactly("a");
    }

    @Test
    void aBackendJustPickedIsNotPickedAgainRightAfterAMembershipChange() {
        var es = FakeEndpoint.weighted(5, 1, 1);
        Selector before = SmoothWeightedRoundRobin.INSTANCE.newSelector(es, null);
        assertThat(letters(before, 3)).containsExactly("a", "a", "b");

        Selector after = SmoothWeightedRoundRobin.INSTANCE.newSelector(es.subList(0, 2), before); // c leaves
        List<String> next = letters(after, 6);
        assertThat(next.get(0)).isEqualTo("a");
        assertThat(next).filteredOn("b"::equals).hasSize(1); // one full period: weights 5, 1
    }

    private List<String> letters(Selector s, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.valueOf((char) ('a' + ((FakeEndpoint) s.select(ctx)).index)));
        }
        return out;
    }

    private static int longestRun(List<String> seq, String x) {
        int best = 0;
        int run = 0;
        for (String s : seq) {
            run = s.equals(x) ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }
}
