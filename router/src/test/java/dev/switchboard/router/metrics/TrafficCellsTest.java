package dev.switchboard.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Counts without atomics per request: exact totals across IO threads, the shared row and the Dropwizard views. */
class TrafficCellsTest {

    private static final int PER_THREAD = 200_000;

    /** Runs {@code work(i)} on {@code n} threads started together; waits for all. */
    private static void together(int n, java.util.function.IntConsumer work) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                work.accept(id);
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).isFalse();
        }
    }

    @Test
    void rowsOfTheirOwnAndTheSharedRowAddUpExactlyUnderConcurrency() throws Exception {
        TrafficCells cells = new TrafficCells(2);
        // threads 0 and 1 own rows; -1 (not an IO thread) and 7 (more threads than rows) share one
        int[] rows = {0, 1, -1, 7, -1};
        together(rows.length, i -> {
            for (int k = 0; k < PER_THREAD; k++) {
                cells.record(rows[i], 2 + (k & 1) * 3, 10, 100);
            }
        });
        long total = (long) rows.length * PER_THREAD;
        assertThat(cells.sum(TrafficCells.REQUESTS)).isEqualTo(total);
        assertThat(cells.sum(TrafficCells.RESPONSES + 2)).isEqualTo(total / 2);
        assertThat(cells.sum(TrafficCells.RESPONSES + 5)).isEqualTo(total / 2);
        assertThat(cells.sum(TrafficCells.BYTES_IN)).isEqualTo(total * 10);
        assertThat(cells.sum(TrafficCells.BYTES_OUT)).isEqualTo(total * 100);
        assertThat(cells.sum(TrafficCells.RESPONSES)).isZero();
    }

    @Test
    void dropwizardViewsReadTheCellsAndRatesFollowAfterACatchUp() {
        MetricRegistry registry = new MetricRegistry();
        TrafficMetrics t = new TrafficMetrics(registry, new MetricNames(), 1, "x", "route", "r");
        long now = System.nanoTime();
        t.record(0, 2_000_000, now, 2, 50, 500);
        t.record(-1, 4_000_000, now, 5, 0, 0);
        t.requests.update(Duration.ofMillis(3)); // the public API counts too, on the shared row
        t.bytesOut.inc(7);

        assertThat(registry.getTimers().get("x.requests.r").getCount()).isEqualTo(3);
        assertThat(registry.getTimers().get("x.requests.r").getSnapshot().getMax()).isEqualTo(4_000_000);
        assertThat(registry.getMeters().get("x.responses.2xx.r").getCount()).isEqualTo(1);
        assertThat(registry.getMeters().get("x.responses.5xx.r").getCount()).isEqualTo(1);
        assertThat(registry.getCounters().get("x.bytes_in.r").getCount()).isEqualTo(50);
        assertThat(registry.getCounters().get("x.bytes_out.r").getCount()).isEqualTo(507);

        t.catchUpRates();
        assertThat(t.requests.getMeanRate()).isPositive();
        assertThat(registry.getMeters().get("x.responses.5xx.r").getMeanRate()).isPositive();
        assertThat(registry.getMeters().get("x.responses.4xx.r").getMeanRate()).isZero();
    }
}
