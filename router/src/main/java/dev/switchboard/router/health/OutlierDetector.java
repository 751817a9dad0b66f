package dev.switchboard.router.health;

import dev.switchboard.router.config.ServiceConfig.OutlierConfig;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passive health of one backend: counts outcomes, says when the backend should be ejected, and keeps
 * its ejection state. The service-wide rules (how many may be ejected, panic) are in
 * {@link ServiceHealth}; {@link BackendHealth} combines the two.
 *
 * <p><b>Detection</b> (lock-free, no allocation unless it trips): {@code consecutiveFailures}
 * failures in a row ({@link Outcome#isFailure()}; a success resets), or a failure ratio of at least
 * {@code errorRateThreshold} over {@code window} once {@code errorRateMinRequests} outcomes were
 * counted. {@link Outcome#LOCAL_REJECT} is not counted, nor is anything while ejected.
 *
 * <p><b>Ejection time</b>, as in Envoy: {@code baseEjectionTime × n}, where n is the number of times
 * the backend has been ejected, capped at {@code maxEjectionTime}. Envoy decrements n once per
 * detection interval while the backend is not ejected; with no timers here, the decay is applied
 * lazily at the next ejection: n drops by one for every full {@code window} spent back in service.
 * An ejection ends when its time is up, checked by whoever looks next (no timers).
 *
 * <p>Ejection state is written only by {@link BackendHealth} under its lock and read lock-free.
 */
public final class OutlierDetector {

    private final int consecutiveThreshold;
    private final double errorRate;
    private final int minRequests;
    private final long baseNanos;
    private final long maxNanos;
    private final long decayNanos;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final RollingCounter window;

    private volatile boolean ejected;
    private volatile long ejectedUntil;
    private volatile int multiplier;
    private volatile long returnedAt;
    private volatile long ejections;

    public OutlierDetector(OutlierConfig config) {
        validate(config);
        this.consecutiveThreshold = config.consecutiveFailures();
        this.minRequests = config.errorRateMinRequests();
        this.errorRate = config.errorRateThreshold();
        this.baseNanos = config.baseEjectionTime().toNanos();
        this.maxNanos = config.maxEjectionTime().toNanos();
        this.decayNanos = config.window().toNanos();
        this.window = new RollingCounter(config.window(), 10);
    }

    /** Checks the settings; messages name the field, the value and what was expected. */
    public static void validate(OutlierConfig config) {
        CircuitBreaker.requireAtLeast("outlier.consecutiveFailures", config.consecutiveFailures(), 0);
        CircuitBreaker.requireAtLeast("outlier.errorRateMinRequests", config.errorRateMinRequests(), 1);
        if (!(config.errorRateThreshold() >= 0 && config.errorRateThreshold() <= 1)) {
            throw new IllegalArgumentException("outlier.errorRateThreshold: " + config.errorRateThreshold()
                    + " (expected: 0..1)");
        }
        CircuitBreaker.requirePositive("outlier.window", config.window());
        long base = CircuitBreaker.requirePositive("outlier.baseEjectionTime", config.baseEjectionTime());
        if (config.maxEjectionTime().toNanos() < base) {
            throw new IllegalArgumentException("outlier.maxEjectionTime: " + config.maxEjectionTime()
                    + " (expected: >= baseEjectionTime " + config.baseEjectionTime() + ")");
        }
    }

    /**
     * Counts one outcome. Returns why the backend should be ejected now, or null (the usual case).
     * Several threads may get a reason for the same burst; the ejection itself happens once.
     */
    public String record(Outcome outcome, long nowNanos) {
        if (!outcome.counts() || ejected) {
            return null;
        }
        if (outcome == Outcome.SUCCESS) {
            if (consecutiveFailures.get() != 0) {
                consecutiveFailures.set(0);
            }
            window.recordSuccess(nowNanos);
            return null;
        }
        int inARow = consecutiveFailures.incrementAndGet();
        window.recordFailure(nowNanos);
        if (consecutiveThreshold > 0 && inARow >= consecutiveThreshold) {
            return inARow + " failures in a row, last " + outcome;
        }
        if (errorRate > 0) {
            long sum = window.sum(nowNanos);
            long total = RollingCounter.total(sum);
            long failures = RollingCounter.failures(sum);
            if (total >= minRequests && failures >= errorRate * total) {
                return String.format(Locale.ROOT, "error rate %.2f over %d requests (threshold %.2f)",
                        (double) failures / total, total, errorRate);
            }
        }
        return null;
    }

    /** Whether ejected at {@code nowNanos}: ejected and its time is not up yet. */
    public boolean isEjected(long nowNanos) {
        return ejected && nowNanos - ejectedUntil < 0;
    }

    /** Whether an ejection is recorded whose time is up, so the backend should be returned. */
    boolean ejectionOver(long nowNanos) {
        return ejected && nowNanos - ejectedUntil >= 0;
    }

    boolean ejectedFlag() {
        return ejected;
    }

    /** Records an ejection starting now and returns its duration. Caller holds the backend's lock. */
    long eject(long nowNanos) {
        int n = multiplier;
        if (n > 0 && ejections > 0) {
            long healthyFor = nowNanos - returnedAt;
            n = (int) Math.max(0, n - Math.max(0, healthyFor / decayNanos));
        }
        n = n + 1;
        long duration = baseNanos > maxNanos / n ? maxNanos : Math.min(maxNanos, baseNanos * n);
        multiplier = n;
        ejections = ejections + 1;
        ejectedUntil = nowNanos + duration;
        ejected = true;
        resetCounts();
        return duration;
    }

    /** Records the end of the ejection. Caller holds the backend's lock. */
    void markReturned(long nowNanos) {
        ejected = false;
        returnedAt = nowNanos;
        resetCounts();
    }

    /** Forgets the failure counts, e.g. after an ejection was skipped, so that it is not retried at once. */
    void resetCounts() {
        consecutiveFailures.set(0);
        window.reset();
    }

    /** Times ejected, after decay: the current multiplier of the base ejection time. */
    public int multiplier() {
        return multiplier;
    }

    /** Ejections since this backend appeared. */
    public long ejections() {
        return ejections;
    }

    /** End of the current ejection; meaningful only while ejected. */
    public long ejectedUntilNanos() {
        return ejectedUntil;
    }

    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** Packed window counts; see {@link RollingCounter#sum}. */
    public long windowCounts(long nowNanos) {
        return window.sum(nowNanos);
    }
}
