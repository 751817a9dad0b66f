package dev.switchboard.router.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.discovery.InstanceId;
import dev.switchboard.router.config.ServiceConfig.CircuitConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Guards the race between concurrent half-open admissions, trial results, releases and late results
 * from earlier phases: never more than {@code halfOpenRequests} trials may hold a permit at once, and
 * every transition is reported exactly once.
 */
class CircuitBreakerHalfOpenTrialRaceTest {

    private static final int TRIALS = 3;
    private static final int THREADS = 4;
    private static final int ITERATIONS = 50_000;

    private final Map<Long, AtomicInteger> heldPerPhase = new ConcurrentHashMap<>();

    @Test
    void neverMoreThanHalfOpenRequestsTrialsAndOneReportPerTransition() throws Exception {
        RecordingEvents events = new RecordingEvents();
        CircuitBreaker cb = new CircuitBreaker("api", new InstanceId("n", "b"),
                new CircuitConfig(true, 2, 0.0, null, null, Duration.ofNanos(200_000), TRIALS), events);
        AtomicLong clock = new AtomicLong();
        AtomicInteger maxHeld = new AtomicInteger();
        AtomicInteger trialsSeen = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();

        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = new SplittableRandom(100 + t);
            Thread th = new Thread(() -> {
                // permits this thread holds, as requests in flight do; finished oldest first
                ArrayDeque<Long> inFlight = new ArrayDeque<>();
                try {
                    start.await();
                    long deadline = System.nanoTime() + 5_000_000_000L; // bound by time as well as count
                    for (int i = 0; i < ITERATIONS && System.nanoTime() < deadline; i++) {
                        long now = clock.addAndGet(10_000);
                        long permit = cb.tryAcquire(now);
                        if (permit != CircuitBreaker.REJECTED) {
                            if (CircuitBreaker.isTrial(permit)) {
                                trialsSeen.incrementAndGet();
                                int held = heldPerPhase.computeIfAbsent(permit >>> 1, g -> new AtomicInteger())
                                        .incrementAndGet();
                                maxHeld.accumulateAndGet(held, Math::max);
                            }
                            inFlight.addLast(permit);
                        }
                        // finish some: usually one, sometimes none (slow requests pile up, late results
                        // from earlier phases arrive)
                        int finish = inFlight.size() > 8 ? 2 : random.nextInt(3) == 0 ? 0 : 1;
                        for (int k = 0; k < finish && !inFlight.isEmpty(); k++) {
                            finish(cb, inFlight.pollFirst(), random.nextInt(10), clock.get());
                        }
                    }
                    while (!inFlight.isEmpty()) {
                        finish(cb, inFlight.pollFirst(), 0, clock.get());
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            }, "race-" + t);
            threads.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : threads) {
            th.join(20_000);
            assertThat(th.isAlive()).isFalse();
        }

        assertThat(errors).isEmpty();
        assertThat(trialsSeen.get()).as("the race must actually exercise half-open").isGreaterThan(100);
        assertThat(maxHeld.get()).isBetween(1, TRIALS);
        List<String> lines = events.lines();
        assertThat((long) lines.size()).isEqualTo(cb.transitions());
        assertThat(lines).allMatch(l -> Set.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "HALF_OPEN->CLOSED")
                .contains(l.split(" ")[2]));
        assertThat(events.count("circuit n/b HALF_OPEN->CLOSED")).isPositive();
        assertThat(events.count("circuit n/b HALF_OPEN->OPEN")).isPositive();
        assertThat(cb.trialsInFlight()).as("every trial permit was returned").isZero();
    }

    private void finish(CircuitBreaker cb, long permit, int roll, long now) {
        if (CircuitBreaker.isTrial(permit)) {
            heldPerPhase.get(permit >>> 1).decrementAndGet(); // still held until the call below returns it
        }
        if (roll < 6) {
            cb.onResult(permit, Outcome.SUCCESS, now);
        } else if (roll < 8) {
            cb.onResult(permit, Outcome.TIMEOUT, now);
        } else if (roll < 9) {
            cb.onResult(permit, Outcome.LOCAL_REJECT, now);
        } else {
            cb.release(permit);
        }
    }
}
