package dev.switchboard.router.table;

import static dev.switchboard.router.table.Routes.consul;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RouteTargetPickTest {

    @Test
    void picksTargetsInProportionToTheirWeightsAndNeverAZeroWeight() throws Exception {
        Route r = RouteTableBuilder.build(List.of(
                consul(null, "/", "main", 0.95, "n/m"),
                consul(null, "/", "canary", 0.05, "n/c"),
                consul(null, "/", "starved", 0, "n/s"))).routes().get(0);
        assertThat(r.targets()).extracting(RouteTarget::weight).containsExactly(500, 9500, 0);

        SplittableRandom random = new SplittableRandom(42);
        Map<String, Integer> counts = new HashMap<>();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            counts.merge(r.pickTarget(random.nextLong()).service(), 1, Integer::sum);
        }
        // 5% expected; binomial sd is ~0.07 percentage points, so +-0.5 points cannot fail by chance
        assertThat(counts.get("canary") / (double) n).isBetween(0.045, 0.055);
        assertThat(counts.get("main") / (double) n).isBetween(0.945, 0.955);
        assertThat(counts).doesNotContainKey("starved");
    }

    @Test
    void everyLongSelectsAValidTargetIncludingTheExtremes() throws Exception {
        Route r = RouteTableBuilder.build(List.of(
                consul(null, "/", "a", 0, "n/a"),
                consul(null, "/", "b", 0, "n/b"),
                consul(null, "/", "c", 0, "n/c"))).routes().get(0);
        assertThat(r.pickTarget(0).service()).isEqualTo("a");
        assertThat(r.pickTarget(1).service()).isEqualTo("b");
        assertThat(r.pickTarget(2).service()).isEqualTo("c");
        assertThat(r.pickTarget(-1).service()).isEqualTo("c");
        assertThat(r.pickTarget(Long.MIN_VALUE).service()).isIn("a", "b", "c");
        assertThat(r.pickTarget(Long.MAX_VALUE).service()).isIn("a", "b", "c");
    }

    @Test
    void zeroWeightTargetsInTheMiddleAreSkipped() throws Exception {
        Route r = RouteTableBuilder.build(List.of(
                consul(null, "/", "a", 0.5, "n/a"),
                consul(null, "/", "b", 0, "n/b"),
                consul(null, "/", "c", 0.5, "n/c"))).routes().get(0);
        assertThat(r.targets()).extracting(RouteTarget::weight).containsExactly(5000, 0, 5000);
        for (long x = 0; x < 10_000; x++) {
            assertThat(r.pickTarget(x).service()).isEqualTo(x < 5000 ? "a" : "c");
        }
    }

    @Test
    void aSingleTargetIsAlwaysPicked() throws Exception {
        Route r = Routes.table(Routes.route("r", null, "/", "only")).routes().get(0);
        assertThat(r.pickTarget(123456789L).service()).isEqualTo("only");
        assertThat(r.targets().get(0).allInstances()).isTrue();
    }
}
