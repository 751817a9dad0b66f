package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

/** Counts picks per endpoint and checks shares against expectations. */
final class Tally {

    final long[] counts;
    long total;

    Tally(int n) {
        counts = new long[n];
    }

    /** Picks {@code picks} times with {@code ctx} and counts; fails on a null pick. */
    static Tally of(Selector selector, FakeContext ctx, int picks) {
        Tally t = new Tally(selector.endpoints().size());
        for (int i = 0; i < picks; i++) {
            t.add(selector.select(ctx));
        }
        return t;
    }

    void add(Endpoint e) {
        assertThat(e).as("pick").isNotNull();
        counts[((FakeEndpoint) e).index]++;
        total++;
    }

    double share(int index) {
        return (double) counts[index] / total;
    }

    /** Every endpoint's share is its weight's share within {@code tolerance} (absolute). */
    void assertSharesFollowWeights(List<FakeEndpoint> endpoints, double tolerance) {
        double sum = endpoints.stream().mapToDouble(FakeEndpoint::weight).sum();
        for (FakeEndpoint e : endpoints) {
            assertThat(share(e.index)).as("share of %s (weight %d)", e, e.weight())
                    .isCloseTo(e.weight() / sum, within(tolerance));
        }
    }
}
