package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class P2CLeastRequestsTest {

    private final FakeContext ctx = new FakeContext(29);

    @Test
    void idleEqualEndpointsShareEvenly() {
        var es = FakeEndpoint.count(4);
        Tally t = Tally.of(P2CLeastRequests.INSTANCE.newSelector(es, null), ctx, 100_000);
        for (int i = 0; i < 4; i++) {
            assertThat(t.share(i)).isCloseTo(0.25, within(0.02));
        }
    }

    @Test
    void anEndpointWithManyRequestsInFlightGetsClearlyLess() {
        var es = FakeEndpoint.count(4);
        es.get(0).inFlight = 20;
        es.get(1).inFlight = 2;
        es.get(2).inFlight = 1;
        es.get(3).inFlight = 1;
        Tally t = Tally.of(P2CLeastRequests.INSTANCE.newSelector(es, null), ctx, 40_000);
        // Any pair containing e0 picks the other one: e0 is never the less loaded of two.
        assertThat(t.counts[0]).isZero();
        assertThat(t.share(1)).isLessThan(t.share(2)).isLessThan(0.25);
    }

    @Test
    void moreRequestsFollowLessLoadUnderSimulatedLoad() {
        // e0 finishes requests slowly: its in-flight count grows, so P2C sends it less.
        var es = FakeEndpoint.count(4);
        Selector s = P2CLeastRequests.INSTANCE.newSelector(es, null);
        Tally t = new Tally(4);
        for (int i = 0; i < 40_000; i++) {
            FakeEndpoint e = (FakeEndpoint) s.select(ctx);
            t.add(e);
            e.inFlight++;
            for (FakeEndpoint x : es) { // each tick a fast backend completes a request, e0 rarely
                if (x.inFlight > 0 && (x.index != 0 || i % 8 == 0)) {
                    x.inFlight--;
                }
            }
        }
        // e0 completes one request per 8 ticks: it gets no more than that (round robin would send it
        // 25% and its queue would grow by ~5,000), and its queue stays short.
        assertThat(t.share(0)).isLessThan(1 / 8.0);
        assertThat(es.get(0).inFlight).isLessThan(10);
    }

    @Test
    void comparesInFlightPerUnitOfWeight() {
        var es = FakeEndpoint.weighted(1, 3);
        es.get(0).inFlight = 2; // (2+1)/1 = 3
        es.get(1).inFlight = 4; // (4+1)/3 = 1.67: less loaded for its weight
        Selector s = P2CLeastRequests.INSTANCE.newSelector(es, null);
        for (int i = 0; i < 100; i++) {
            assertThat(s.select(ctx)).isSameAs(es.get(1));
        }
        es.get(0).inFlight = 0; // 1/1 = 1 < 1.67
        assertThat(s.select(ctx)).isSameAs(es.get(0));
    }

    @Test
    void amongIdleEndpointsTheHeavierOneWins() {
        var es = FakeEndpoint.weighted(1, 2);
        Selector s = P2CLeastRequests.INSTANCE.newSelector(es, null);
        for (int i = 0; i < 50; i++) {
            assertThat(s.select(ctx)).isSameAs(es.get(1));
        }
    }

    @Test
    void aRampingEndpointIsNotStarvedWhileAllAreIdleOrBusy() {
        // Issue: with the slow-start factor in the score, (0 + 1) / 0.25 lost to 1 / 1 every time.
        var es = FakeEndpoint.count(3);
        es.get(2).slowStartFactor = 0.25;
        Selector s = P2CLeastRequests.INSTANCE.newSelector(es, null);
        assertThat(Tally.of(s, ctx, 30_000).share(2)).as("idle").isCloseTo(0.25 / 2.25, within(0.015));
        es.forEach(e -> e.inFlight = 3);
        assertThat(Tally.of(s, ctx, 30_000).share(2)).as("equally busy").isCloseTo(0.25 / 2.25, within(0.015));
    }

    @Test
    void skipsUnusableAndReturnsNullOnlyWhenNoneIsUsable() {
        var es = FakeEndpoint.count(3);
        es.get(0).usable = false;
        es.get(1).inFlight = 100;
        Selector s = P2CLeastRequests.INSTANCE.newSelector(es, null);
        Tally t = Tally.of(s, ctx, 1_000);
        assertThat(t.counts[0]).isZero();
        assertThat(t.counts[2]).isGreaterThan(t.counts[1]);
        es.forEach(e -> e.usable = false);
        assertThat(s.select(ctx)).isNull();
    }
}
