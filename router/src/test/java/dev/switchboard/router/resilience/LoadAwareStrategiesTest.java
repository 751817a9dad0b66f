package dev.switchboard.router.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #3: the load-aware strategies steer concurrent traffic away from a slow backend, end to end.
 * Three backends, one answering after {@value #SLOW_MILLIS} ms and two at once, under
 * {@value #THREADS} concurrent clients. With {@code least_request} (fewest in flight) and
 * {@code peak_ewma} (latency × in flight) the slow one gets well under its third; with
 * {@code round_robin}, which ignores load, it gets its third: the control that shows the load really
 * was uneven and the slow backend really was a candidate.
 *
 * <p>One router, one service per strategy (each with its own live backend objects, so no state is
 * shared between the runs), one route per service.
 */
class LoadAwareStrategiesTest {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 45;
    private static final long SLOW_MILLIS = 100;
    private static final Duration MAX_TIME = Duration.ofSeconds(15);
    /** The slow backend's share under a load-aware strategy must stay below this (fair share 1/3). */
    private static final double LOAD_AWARE_MAX_SHARE = 0.20;

    static TestBackend fast1;
    static TestBackend fast2;
    static TestBackend slow;
    static RouterFixture router;

    @BeforeAll
    static void start() throws Exception {
        fast1 = TestBackend.start("fast1");
        fast2 = TestBackend.start("fast2");
        slow = TestBackend.start("slow");
        slow.behave(Backends.delayed("slow", SLOW_MILLIS));
        String instances = "[{address: \"%s\"}, {address: \"%s\"}, {address: \"%s\"}]"
                .formatted(fast1.address(), fast2.address(), slow.address());
        router = RouterFixture.start("""
                services:
                  lr: {strategy: least_request, instances: %1$s}
                  ewma: {strategy: peak_ewma, instances: %1$s}
                  rr: {strategy: round_robin, instances: %1$s}
                  warm: {instances: [{address: "%2$s"}, {address: "%3$s"}]}
                routes:
                  - {path: /lr, service: lr}
                  - {path: /ewma, service: ewma}
                  - {path: /rr, service: rr}
                  - {path: /warm, service: warm}
                """.formatted(instances, fast1.address(), fast2.address()));
        // Warm the proxy path (JIT) through a service no test measures, so that the first measured
        // run does not see cold, slow "fast" backends.
        try (Load warm = Load.start(router.uri("/warm"), 4, 100, MAX_TIME).await()) {
            assertThat(warm.count(200)).isEqualTo(400);
        }
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        fast1.close();
        fast2.close();
        slow.close();
    }

    /** Runs the bounded load against {@code path} and returns the slow backend's share of the 200s. */
    private static double slowShare(String path) throws Exception {
        try (Load load = Load.start(router.uri(path), THREADS, PER_THREAD, MAX_TIME).await()) {
            int ok = load.count(200);
            double share = (double) load.servedBy("slow") / ok;
            System.out.printf("%s: %d requests, statuses %s, fast1=%d fast2=%d slow=%d (share %.3f), max latency %d ms%n",
                    path, load.completed(), load.statuses(), load.servedBy("fast1"), load.servedBy("fast2"),
                    load.servedBy("slow"), share, load.maxLatency().toMillis());
            assertThat(load.statuses()).as("problems: %s", load.problems()).containsOnlyKeys(200);
            assertThat(ok).as("the whole bounded load ran").isEqualTo(THREADS * PER_THREAD);
            assertThat(load.servedBy("fast1") + load.servedBy("fast2") + load.servedBy("slow")).isEqualTo(ok);
            return share;
        }
    }

    @Test
    void leastRequestSendsTheSlowBackendWellUnderItsThird() throws Exception {
        double share = slowShare("/lr");
        assertThat(share).isLessThan(LOAD_AWARE_MAX_SHARE);
    }

    @Test
    void peakEwmaSendsTheSlowBackendWellUnderItsThird() throws Exception {
        double share = slowShare("/ewma");
        assertThat(share).isLessThan(LOAD_AWARE_MAX_SHARE);
    }

    @Test
    void roundRobinIgnoresLoadAndGivesTheSlowBackendItsThird() throws Exception {
        double share = slowShare("/rr");
        // A shared counter over three backends: every backend gets a third of the picks, whatever the
        // latency; only the order in which concurrent picks complete varies.
        assertThat(share).isCloseTo(1.0 / 3, within(0.02));
    }
}
