package dev.switchboard.router.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #3, slow start end to end, for every strategy that README says ramps: with
 * {@code slow_start: 4s}, a third backend added through the API next to two fully ramped ones gets a
 * small but non-zero share of what {@value #THREADS} concurrent clients send during its first second,
 * and its full third once the window is over. (Round robin and random once gave it a full third from
 * the start; least request gave it nothing for the whole window.)
 *
 * <p>Expected numbers: it is picked in proportion to {@code factor}, which grows linearly from 0.1 to
 * 0.25 over the first quarter of the window, so its share then is about {@code factor / (2 + factor)},
 * under 11%; the bound is 15% for the round robins and 20% for the random draws (random, and least
 * request among mostly idle backends), and at least one request. After the window the round robins
 * give it exactly a third (±1 request), bound 30–37%; the random draws a third give or take a binomial
 * spread (σ ≈ 2.7% over 300), bound 22–45%. The early phase is a whole second so that a machine loaded
 * by other work still sends enough requests in it (a 0.5 s phase once saw only 55).
 */
class SlowStartTest {

    private static final Duration WINDOW = Duration.ofSeconds(4);
    private static final Duration EARLY = Duration.ofSeconds(1);
    private static final int MAX_EARLY_PER_THREAD = 1_000;
    private static final int LATE_REQUESTS = 300;
    private static final int THREADS = 4;

    @AutoClose
    private final TestBackend a = TestBackend.start("a");
    @AutoClose
    private final TestBackend b = TestBackend.start("b");
    @AutoClose
    private final TestBackend c = TestBackend.start("c");
    @AutoClose
    private RouterFixture router;

    @ParameterizedTest
    // peak_ewma ramps too (balancer.SlowStartSharesTest), but its share follows measured latency here.
    @ValueSource(strings = {"weighted_round_robin", "round_robin", "random", "weighted_random", "least_request"})
    void backendAddedThroughTheApiRampsUpOverTheSlowStartWindow(String strategy) throws Exception {
        boolean exact = strategy.endsWith("round_robin");
        router = RouterFixture.start("""
                services:
                  web:
                    strategy: %s
                    slow_start: %dms
                    instances: [{address: "%s"}, {address: "%s"}]
                routes:
                  - {path: /, service: web}
                """.formatted(strategy, WINDOW.toMillis(), a.address(), b.address()));
        // A service's first members start fully ramped (there is nobody to shift load from).
        Backend liveA = Backends.live(router, "web", a);
        Backend liveB = Backends.live(router, "web", b);
        assertThat(liveA.slowStartFactor(System.nanoTime())).isEqualTo(1.0);
        assertThat(liveB.slowStartFactor(System.nanoTime())).isEqualTo(1.0);
        try (Load warm = Load.start(router.uri("/warm"), THREADS, 50, Duration.ofSeconds(10)).await()) {
            assertThat(warm.count(200)).isEqualTo(THREADS * 50); // JIT warm-up: more requests in the early window
        }

        // Timed from before the add, so every early request falls within the first quarter of c's window.
        long t0 = System.nanoTime();
        router.switchboard().addApiBackend(ServiceInstance.ofStatic("web", "127.0.0.1", c.port(), 1));
        Backend liveC = Backends.live(router, "web", c);
        Duration left = EARLY.minusNanos(System.nanoTime() - t0);
        int earlyTotal;
        int earlyC;
        Map<Integer, Integer> earlyStatuses;
        try (Load early = Load.start(router.uri("/early"), THREADS, MAX_EARLY_PER_THREAD, left).await()) {
            earlyTotal = early.completed();
            earlyC = early.servedBy("c");
            earlyStatuses = early.statuses();
            System.out.printf("slow start (%s), first %d ms: %d requests, a=%d b=%d c=%d%n", strategy,
                    EARLY.toMillis(), earlyTotal, early.servedBy("a"), early.servedBy("b"), earlyC);
        }
        double earlyFactorAtEnd = liveC.slowStartFactor(System.nanoTime());
        double earlyShare = (double) earlyC / earlyTotal;

        await().atMost(WINDOW.plusSeconds(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> liveC.slowStartFactor(System.nanoTime()) >= 1.0);
        int lateC;
        try (Load late = Load.start(router.uri("/late"), THREADS, LATE_REQUESTS / THREADS, Duration.ofSeconds(10)).await()) {
            assertThat(late.statuses()).as("problems: %s", late.problems()).containsOnlyKeys(200);
            assertThat(late.completed()).isEqualTo(LATE_REQUESTS);
            lateC = late.servedBy("c");
            System.out.printf("slow start (%s), after the window: %d requests, a=%d b=%d c=%d%n",
                    strategy, late.completed(), late.servedBy("a"), late.servedBy("b"), lateC);
        }
        double lateShare = (double) lateC / LATE_REQUESTS;
        System.out.printf("slow start (%s): c share %.3f in the first %d ms (factor at the end %.2f), %.3f after the window%n",
                strategy, earlyShare, EARLY.toMillis(), earlyFactorAtEnd, lateShare);

        assertThat(earlyStatuses).containsOnlyKeys(200);
        assertThat(lateShare).as("share after the window").isBetween(exact ? 0.30 : 0.22, exact ? 0.37 : 0.45);
        // Enough early requests for the share to mean something (several hundred are typical here;
        // at 100 and an expected share of ~6%, 15% is more than 3.5 standard deviations away). Fewer
        // says the machine was too busy, not that slow start is wrong: no verdict on the early share then.
        assumeTrue(earlyTotal >= 100, () -> "machine too busy: only " + earlyTotal
                + " requests in the first " + EARLY.toMillis() + " ms (need 100 to judge the early share)");
        assertThat(earlyC).as("not starved during the window").isPositive();
        assertThat(earlyShare).as("share during the first quarter of the window").isLessThan(exact ? 0.15 : 0.20);
    }
}
