package dev.switchboard.router.balancer;

/**
 * Slow start: a backend that just joined gets a growing share of its weight over a window, so a cold
 * JVM or empty cache is not handed a full share at once. The curve is Envoy's:
 * {@code factor = max(MIN_FACTOR, (elapsed / window) ^ (1 / aggression))}; with the default
 * aggression 1 it is linear, from 10% up to 100% at the end of the window.
 * Aggression &gt; 1 ramps faster early, &lt; 1 slower.
 *
 * <p>Note (also Envoy's): slow start only differentiates when few backends are new; when all of a
 * service's backends were added together they all ramp alike and share traffic evenly.
 */
public final class SlowStart {

    /** The lowest share of the weight a backend in slow start gets. */
    public static final double MIN_FACTOR = 0.1;

    private SlowStart() {
    }

    /**
     * The share of the weight in effect, in [{@link #MIN_FACTOR}, 1]; 1 when the window is off
     * ({@code windowNanos <= 0}) or over. Non-decreasing in {@code nowNanos}.
     */
    public static double factor(long addedAtNanos, long windowNanos, long nowNanos) {
        return factor(addedAtNanos, windowNanos, nowNanos, 1.0);
    }

    /** As {@link #factor(long, long, long)} with Envoy's aggression exponent ({@code > 0}). */
    public static double factor(long addedAtNanos, long windowNanos, long nowNanos, double aggression) {
        if (!(aggression > 0)) {
            throw new IllegalArgumentException("aggression: " + aggression + " (expected: > 0)");
        }
        if (windowNanos <= 0) {
            return 1.0;
        }
        long elapsed = nowNanos - addedAtNanos; // difference of nanoTime readings: overflow-safe
        if (elapsed >= windowNanos) {
            return 1.0;
        }
        if (elapsed <= 0) {
            return MIN_FACTOR;
        }
        double t = (double) elapsed / windowNanos;
        double f = aggression == 1.0 ? t : Math.pow(t, 1.0 / aggression);
        return Math.max(MIN_FACTOR, Math.min(1.0, f));
    }

    /**
     * {@code weight} scaled by {@link #factor(long, long, long)}, rounded up, and at least 1. Equals
     * {@code weight} once the window is over. Non-decreasing in {@code nowNanos}.
     */
    public static int effectiveWeight(int weight, long addedAtNanos, long windowNanos, long nowNanos) {
        if (weight <= 1) {
            return 1;
        }
        double f = factor(addedAtNanos, windowNanos, nowNanos);
        if (f >= 1.0) {
            return weight;
        }
        return (int) Math.max(1, Math.min(weight, Math.ceil(weight * f)));
    }
}
