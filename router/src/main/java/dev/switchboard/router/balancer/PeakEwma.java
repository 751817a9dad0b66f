package dev.switchboard.router.balancer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Peak-sensitive, time-decayed moving average of round-trip times, as in Finagle's and Linkerd's
 * peak-EWMA balancers. A sample above the current estimate replaces it at once (so a backend that
 * turns slow is avoided immediately); lower samples are blended in with weight
 * {@code 1 - exp(-elapsed / tau)}, and the estimate decays toward zero while nothing is observed,
 * so an idle backend is eventually tried again.
 *
 * <p>Lock-free: the estimate lives in one {@link AtomicLong} as {@code double} bits updated by CAS,
 * and the time of the last update in another, advanced monotonically. A reader that sees a new
 * estimate with the previous time stamp decays it by the few nanoseconds between the two writes,
 * an error of that time over {@code tau} (10 s by default): negligible. {@link #value} does not
 * write, so reading it on the request path causes no contention.
 *
 * <p>Time is passed in (monotonic {@code System.nanoTime()} readings), which makes it testable.
 */
public final class PeakEwma {

    /** Finagle's default decay time constant. */
    public static final long DEFAULT_TAU_NANOS = 10_000_000_000L;

    private final double tauNanos;
    private final AtomicLong estimateBits = new AtomicLong(Double.doubleToRawLongBits(0.0));
    private final AtomicLong stampNanos = new AtomicLong(Long.MIN_VALUE);

    public PeakEwma() {
        this(DEFAULT_TAU_NANOS);
    }

    /** @param tauNanos decay time constant: after {@code tau} of silence the estimate is down to 1/e */
    public PeakEwma(long tauNanos) {
        if (tauNanos <= 0) {
            throw new IllegalArgumentException("tauNanos: " + tauNanos + " (expected: > 0)");
        }
        this.tauNanos = tauNanos;
    }

    /** Records one round-trip time measured at {@code nowNanos}. Negative samples count as 0. */
    public void observe(long rttNanos, long nowNanos) {
        double rtt = Math.max(0, rttNanos);
        while (true) {
            long bits = estimateBits.get();
            double w = weightOfPast(stampNanos.get(), nowNanos);
            double current = Double.longBitsToDouble(bits) * w; // decayed to now
            // peak sensitivity: a higher sample replaces the estimate; a lower one is blended in
            double next = rtt >= current ? rtt : current + rtt * (1.0 - w);
            if (estimateBits.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
                advanceStamp(nowNanos);
                return;
            }
        }
    }

    /** The estimate at {@code nowNanos} in nanoseconds, decayed since the last sample; 0 before any. */
    public double value(long nowNanos) {
        double est = Double.longBitsToDouble(estimateBits.get());
        return est == 0.0 ? 0.0 : est * weightOfPast(stampNanos.get(), nowNanos);
    }

    /** {@code exp(-elapsed / tau)}; 1 for no elapsed time (or a reading older than the stamp). */
    private double weightOfPast(long stamp, long now) {
        if (stamp == Long.MIN_VALUE) {
            return 1.0;
        }
        long elapsed = now - stamp;
        return elapsed <= 0 ? 1.0 : Math.exp(-elapsed / tauNanos);
    }

    private void advanceStamp(long now) {
        long s;
        do {
            s = stampNanos.get();
            if (s != Long.MIN_VALUE && now - s <= 0) {
                return;
            }
        } while (!stampNanos.compareAndSet(s, now));
    }
}
