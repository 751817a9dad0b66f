package dev.switchboard.router.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.discovery.InstanceId;
import dev.switchboard.router.config.ServiceConfig;
import dev.switchboard.router.config.ServiceConfig.CircuitConfig;
import dev.switchboard.router.config.ServiceConfig.OutlierConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Guards the race between concurrent ejections, lazy returns, panic sweeps and health verdicts on one
 * service: {@code max_ejection_percent} is never exceeded, and the service's counts always end equal
 * to what its backends say.
 */
class OutlierEjectionCountRaceTest {

    private static final int BACKENDS = 10;
    private static final int MAX_EJECTED = 3; // 30 % of 10
    private static final int THREADS = 4;
    private static final int ITERATIONS = 50_000;

    @Test
    void ejectedCountNeverExceedsTheCapAndCountsMatchTheBackends() throws Exception {
        RecordingEvents events = new RecordingEvents();
        OutlierConfig outlier = new OutlierConfig(3, null, 0.0, null, Duration.ofMillis(1), Duration.ofNanos(300_000),
                Duration.ofMillis(2), 30, 50);
        CircuitConfig off = new CircuitConfig(false, null, null, null, null, null, null);
        ServiceHealth s = new ServiceHealth("api", new ServiceConfig(null, null, null, null, null, null, outlier, null,
                off, null, null), events);
        List<BackendHealth> backends = new ArrayList<>();
        for (int i = 0; i < BACKENDS; i++) {
            backends.add(s.join(new InstanceId("n", "b" + i)));
        }
        AtomicLong clock = new AtomicLong();
        AtomicInteger maxEjected = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();

        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = new SplittableRandom(7 + t);
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    for (int i = 0; i < ITERATIONS && System.nanoTime() < deadline; i++) {
                        long now = clock.addAndGet(2_000);
                        BackendHealth b = backends.get(random.nextInt(BACKENDS));
                        int roll = random.nextInt(100);
                        if (roll < 45) {
                            b.record(b.tryAcquire(now), Outcome.CONNECT_FAILURE, now);
                        } else if (roll < 90) {
                            b.record(b.tryAcquire(now), Outcome.SUCCESS, now);
                        } else if (roll < 94) {
                            b.available(now);
                        } else if (roll < 97) {
                            s.inPanic(now);
                        } else if (roll < 98) {
                            b.markUnhealthy(BackendHealth.Signal.DISCOVERY, "critical");
                        } else {
                            b.markHealthy(BackendHealth.Signal.DISCOVERY, "passing");
                        }
                        maxEjected.accumulateAndGet(s.ejected(), Math::max);
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
        assertThat(events.count("ejected")).as("the race must actually eject").isGreaterThan(100);
        assertThat(events.count("skipped")).as("and hit the cap").isPositive();
        assertThat(maxEjected.get()).isBetween(1, MAX_EJECTED);

        long ejected = backends.stream().filter(b -> b.outlier().ejectedFlag()).count();
        long unhealthy = backends.stream()
                .filter(b -> b.outlier().ejectedFlag() || !b.passing(BackendHealth.Signal.DISCOVERY)).count();
        assertThat((long) s.ejected()).isEqualTo(ejected);
        assertThat((long) s.healthy()).isEqualTo(BACKENDS - unhealthy);
        assertThat(events.count("ejected") - events.count("returned")).isEqualTo(ejected);

        boolean panic = s.inPanic(clock.get());
        assertThat(events.count("panic api true") - events.count("panic api false")).isEqualTo(panic ? 1 : 0);

        // everyone returns once the longest ejection is over, and the sweep finds them
        assertThat(s.inPanic(clock.get() + 10_000_000L)).isEqualTo(BACKENDS - s.healthy() > BACKENDS / 2);
        assertThat(s.ejected()).isZero();
    }
}
