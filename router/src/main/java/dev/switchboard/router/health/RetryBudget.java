package dev.switchboard.router.health;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps retries at a share of requests, Finagle/Linkerd style: every original request deposits, every
 * retry withdraws, and both expire with the window (default 10 s). A retry is allowed while retries in
 * the window stay within {@code ratio × requests + minPerSecond × windowSeconds}; the second term is a
 * floor so that a quiet service can still retry a little. Lock-free; {@link #tryRetry} checks and
 * withdraws in one CAS.
 *
 * <p>Exhaustion (a refused retry) is counted. The {@link ExhaustionListener} hears about it at most
 * once per report interval, with the number of refusals since the previous report, so the caller can
 * log one line per interval from it.
 */
public final class RetryBudget {

    /** Hears about refused retries, at most once per report interval. Must be quick and must not throw. */
    @FunctionalInterface
    public interface ExhaustionListener {
        /**
         * @param refusedSinceLastReport retries refused since the previous call (the first call: since creation)
         * @param refusedTotal           retries refused since creation
         */
        void exhausted(long refusedSinceLastReport, long refusedTotal);
    }

    private static final long NEVER = Long.MIN_VALUE;

    private final double ratio;
    private final long reserve;
    private final RollingCounter window;
    private final ExhaustionListener listener;
    private final long reportIntervalNanos;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong reported = new AtomicLong();
    private final AtomicLong lastReport = new AtomicLong(NEVER);

    /**
     * @param ratio          retries allowed per request over the window, &ge; 0 (e.g. 0.2)
     * @param minPerSecond   retries per second allowed regardless of traffic, &ge; 0
     * @param window         how long deposits and withdrawals count (whole seconds, &ge; 1 s)
     * @param reportInterval least time between two calls of {@code listener}
     * @param listener       exhaustion hook
     */
    public RetryBudget(double ratio, int minPerSecond, Duration window, Duration reportInterval,
            ExhaustionListener listener) {
        if (!(ratio >= 0 && ratio <= 1000)) {
            throw new IllegalArgumentException("retry.budgetRatio: " + ratio + " (expected: 0..1000)");
        }
        if (minPerSecond < 0) {
            throw new IllegalArgumentException("retry.budgetMinPerSecond: " + minPerSecond + " (expected: >= 0)");
        }
        if (window.toSeconds() < 1) {
            throw new IllegalArgumentException("retry budget window: " + window + " (expected: >= 1s)");
        }
        this.ratio = ratio;
        this.reserve = (long) minPerSecond * window.toSeconds();
        this.window = new RollingCounter(window, (int) Math.min(60, window.toSeconds()));
        this.reportIntervalNanos = CircuitBreaker.requirePositive("retry budget reportInterval", reportInterval);
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** A budget over 10 s, reporting exhaustion at most every 10 s. */
    public static RetryBudget of(double ratio, int minPerSecond, ExhaustionListener listener) {
        return new RetryBudget(ratio, minPerSecond, Duration.ofSeconds(10), Duration.ofSeconds(10), listener);
    }

    /** Deposits for one original request. Call once per request, not per retry. */
    public void onRequest(long nowNanos) {
        window.recordSuccess(nowNanos);
    }

    /** Withdraws one retry if the budget allows it; otherwise counts the refusal and returns false. */
    public boolean tryRetry(long nowNanos) {
        if (window.tryRecordFailureWithin(nowNanos, ratio, reserve)) {
            return true;
        }
        long total = refused.incrementAndGet();
        long last = lastReport.get();
        if ((last == NEVER || nowNanos - last >= reportIntervalNanos) && lastReport.compareAndSet(last, nowNanos)) {
            long since = total - reported.getAndSet(total);
            listener.exhausted(Math.max(1, since), total);
        }
        return false;
    }

    /** Retries still allowed in the current window (may be negative briefly after deposits expire). */
    public long available(long nowNanos) {
        long sum = window.sum(nowNanos);
        return (long) Math.floor(ratio * RollingCounter.successes(sum) + reserve) - RollingCounter.failures(sum);
    }

    /** Retries refused since creation. */
    public long refused() {
        return refused.get();
    }
}
