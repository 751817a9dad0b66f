package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

    private final FakeContext ctx = new FakeContext(1);

    @Test
    void picksEndpointsInTurnIgnoringWeights() {
        var es = FakeEndpoint.weighted(1, 5, 1);
        Selector s = RoundRobin.INSTANCE.newSelector(es, null);
        assertThat(picks(s, 7)).containsExactly("e000", "e001", "e002", "e000", "e001", "e002", "e000");
    }

    @Test
    void anUnusableEndpointLosesItsTurnSoTheOthersStayEven() {
        var es = FakeEndpoint.count(3);
        es.get(1).usable = false;
        Selector s = RoundRobin.INSTANCE.newSelector(es, null);
        assertThat(picks(s, 6)).containsExactly("e000", "e002", "e000", "e002", "e000", "e002");
    }

    @Test
    void aRetryExclusionIsRespected() {
        var es = FakeEndpoint.count(2);
        Selector s = RoundRobin.INSTANCE.newSelector(es, null);
        ctx.excluded = es.get(0);
        for (int i = 0; i < 5; i++) {
            assertThat(s.select(ctx)).isSameAs(es.get(1));
        }
    }

    @Test
    void returnsNullOnlyWhenNoEndpointIsUsable() {
        var es = FakeEndpoint.count(4);
        es.forEach(e -> e.usable = false);
        Selector s = RoundRobin.INSTANCE.newSelector(es, null);
        assertThat(s.select(ctx)).isNull();
        es.get(3).usable = true;
        assertThat(s.select(ctx)).isSameAs(es.get(3));
    }

    @Test
    void keepsItsOrderWhenTheCounterPassesLongMaxValue() {
        var es = FakeEndpoint.count(3);
        long start = Long.MAX_VALUE - 10;
        Selector s = RoundRobin.withCounter(es, start);
        int first = (int) ((Long.MAX_VALUE - 10) % 3); // 2^63 - 11 = ... ≡ 2 (mod 3)
        List<String> got = picks(s, 30); // the counter wraps to Long.MIN_VALUE at the 12th pick
        for (int i = 0; i < 30; i++) {
            assertThat(got.get(i)).as("pick %d", i).isEqualTo(es.get((first + i) % 3).toString());
        }
    }

    @Test
    void aNewSelectorContinuesAfterThePreviousOnesLastPick() {
        var abc = FakeEndpoint.count(4).subList(0, 3);
        Selector before = RoundRobin.INSTANCE.newSelector(abc, null);
        assertThat(picks(before, 2)).containsExactly("e000", "e001");

        var abcd = FakeEndpoint.count(4); // e003 joins
        Selector after = RoundRobin.INSTANCE.newSelector(abcd, before);
        assertThat(picks(after, 4)).containsExactly("e002", "e003", "e000", "e001");
    }

    @Test
    void whenTheLastPickedEndpointLeavesItsSuccessorIsNext() {
        var es = FakeEndpoint.count(4);
        Selector before = RoundRobin.INSTANCE.newSelector(es, null);
        assertThat(picks(before, 2)).containsExactly("e000", "e001");

        var without1 = List.of(es.get(0), es.get(2), es.get(3));
        Selector after = RoundRobin.INSTANCE.newSelector(without1, before);
        assertThat(picks(after, 3)).containsExactly("e002", "e003", "e000");
    }

    @Test
    void aSelectorOfAnotherStrategyIsNotCarriedOver() {
        var es = FakeEndpoint.count(3);
        Selector random = RandomPick.INSTANCE.newSelector(es, null);
        assertThat(picks(RoundRobin.INSTANCE.newSelector(es, random), 1)).containsExactly("e000");
    }

    private List<String> picks(Selector s, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(s.select(ctx).toString());
        }
        return out;
    }
}
