package dev.switchboard.router.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private static final long SECOND = 1_000_000_000L;
    private final List<String> reports = new ArrayList<>();

    private RetryBudget budget(double ratio, int minPerSecond) {
        return new RetryBudget(ratio, minPerSecond, Duration.ofSeconds(10), Duration.ofSeconds(10),
                (since, total) -> reports.add(since + "/" + total));
    }

    private static int retriesAllowed(RetryBudget b, long now, int attempts) {
        int ok = 0;
        for (int i = 0; i < attempts; i++) {
            if (b.tryRetry(now)) {
                ok++;
            }
        }
        return ok;
    }

    private static void requests(RetryBudget b, long now, int n) {
        for (int i = 0; i < n; i++) {
            b.onRequest(now);
        }
    }

    @Test
    void retriesAreCappedAtTheRatioOfRequests() {
        RetryBudget b = budget(0.2, 0);
        requests(b, 0, 100);
        assertThat(b.available(0)).isEqualTo(20);
        assertThat(retriesAllowed(b, 0, 50)).isEqualTo(20);
        assertThat(b.refused()).isEqualTo(30);
    }

    @Test
    void floorAllowsRetriesWithoutTraffic() {
        RetryBudget b = budget(0.2, 2);
        assertThat(retriesAllowed(b, 0, 50)).isEqualTo(20); // 2 per second over 10 s
    }

    @Test
    void floorAndRatioAdd() {
        RetryBudget b = budget(0.2, 1);
        requests(b, 0, 50);
        assertThat(retriesAllowed(b, 0, 50)).isEqualTo(10 + 10);
    }

    @Test
    void depositsAndWithdrawalsExpireWithTheWindow() {
        RetryBudget b = budget(0.2, 0);
        requests(b, 0, 100);
        assertThat(retriesAllowed(b, 0, 20)).isEqualTo(20);

        requests(b, 5 * SECOND, 50); // 150 requests and 20 retries in the window: 10 more
        assertThat(retriesAllowed(b, 5 * SECOND, 50)).isEqualTo(10);

        // at 10 s the first second's 100 requests and 20 retries have expired: 50 requests, 10 retries
        assertThat(b.available(10 * SECOND)).isZero();
        assertThat(retriesAllowed(b, 10 * SECOND, 5)).isZero();
        // at 15 s everything has expired
        requests(b, 15 * SECOND, 10);
        assertThat(retriesAllowed(b, 15 * SECOND, 5)).isEqualTo(2);
    }

    @Test
    void exhaustionIsReportedAtMostOncePerIntervalWithTheCountSinceTheLastReport() {
        RetryBudget b = budget(0.2, 0);
        b.tryRetry(0);
        b.tryRetry(SECOND);
        b.tryRetry(2 * SECOND);
        assertThat(reports).containsExactly("1/1");
        b.tryRetry(10 * SECOND);
        b.tryRetry(11 * SECOND);
        assertThat(reports).containsExactly("1/1", "3/4");
        assertThat(b.refused()).isEqualTo(5);
    }

    @Test
    void concurrentRetriesCannotOverspendTheBudget() throws Exception {
        RetryBudget b = budget(0.2, 0);
        requests(b, 0, 100);
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 200; i++) {
                    if (b.tryRetry(0)) {
                        granted.incrementAndGet();
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) {
            th.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertThat(granted).hasValue(20);
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> budget(-0.1, 0)).hasMessage("retry.budgetRatio: -0.1 (expected: 0..1000)");
        assertThatThrownBy(() -> budget(0.2, -1)).hasMessage("retry.budgetMinPerSecond: -1 (expected: >= 0)");
    }
}
