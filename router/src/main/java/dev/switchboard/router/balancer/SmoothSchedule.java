package dev.switchboard.router.balancer;

/**
 * One period of nginx's smooth weighted round robin, precomputed. Each step adds every endpoint's
 * weight to its "current weight", picks the largest (first on ties) and subtracts the total from it.
 * After {@code total} steps every endpoint was picked exactly {@code weight} times and all current
 * weights are back at their start, so the sequence repeats with that period; selectors then only
 * index into {@link #slots} with a counter.
 *
 * <p>Weights are divided by their greatest common divisor. If the period would still be long (more
 * than {@link #MAX_LENGTH} slots, or {@link #MAX_BUILD_STEPS} steps times endpoints to build), they
 * are scaled down proportionally (each at least 1): shares then match to within one slot per
 * endpoint per period.
 */
final class SmoothSchedule {

    static final int MAX_LENGTH = 1 << 16;
    static final long MAX_BUILD_STEPS = 1L << 22;

    /** Reduced weights, by endpoint index. */
    final int[] weights;
    /** Endpoint index per slot; length = sum of {@link #weights}. */
    final int[] slots;

    private SmoothSchedule(int[] weights) {
        this.weights = weights;
        this.slots = new int[sum(weights)];
        long[] cur = new long[weights.length];
        for (int t = 0; t < slots.length; t++) {
            slots[t] = step(cur);
        }
    }

    static SmoothSchedule of(int[] configured) {
        int n = configured.length;
        int g = 0;
        for (int w : configured) {
            if (w < 1) {
                throw new IllegalArgumentException("weight: " + w + " (expected: >= 1)");
            }
            g = Picks.gcd(w, g);
        }
        int[] w = new int[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            w[i] = configured[i] / g;
            total += w[i];
        }
        long cap = Math.max(n, Math.min(MAX_LENGTH, MAX_BUILD_STEPS / n));
        if (total > cap) {
            for (int i = 0; i < n; i++) {
                w[i] = (int) Math.max(1, w[i] * cap / total);
            }
        }
        return new SmoothSchedule(w);
    }

    int length() {
        return slots.length;
    }

    /**
     * Current weights after {@code steps} picks from the all-zero start, divided by the period (so
     * schedules with different totals compare).
     */
    double[] normalizedStateAfter(int steps) {
        long[] cur = new long[weights.length];
        for (int t = 0; t < steps; t++) {
            step(cur);
        }
        double[] out = new double[cur.length];
        for (int i = 0; i < cur.length; i++) {
            out[i] = (double) cur[i] / slots.length;
        }
        return out;
    }

    /**
     * The slot to continue from so that the current weights of endpoints carried over from a previous
     * schedule are closest (L1) to theirs: {@code carried[i]} is NaN for endpoints that are new.
     * Returns 0 when nothing is carried.
     */
    int bestPhase(double[] carried) {
        boolean any = false;
        for (double c : carried) {
            any |= !Double.isNaN(c);
        }
        if (!any) {
            return 0;
        }
        long[] cur = new long[weights.length];
        double best = Double.MAX_VALUE;
        int bestSlot = 0;
        for (int t = 0; t < slots.length; t++) {
            step(cur);
            double d = 0;
            for (int i = 0; i < cur.length; i++) {
                if (!Double.isNaN(carried[i])) {
                    d += Math.abs((double) cur[i] / slots.length - carried[i]);
                }
            }
            if (d < best) {
                best = d;
                bestSlot = t + 1;
            }
        }
        return bestSlot % slots.length;
    }

    /** One step of nginx's algorithm over {@code cur}; returns the picked index. */
    private int step(long[] cur) {
        int best = -1;
        long total = 0;
        for (int i = 0; i < cur.length; i++) {
            cur[i] += weights[i];
            total += weights[i];
            if (best < 0 || cur[i] > cur[best]) {
                best = i;
            }
        }
        cur[best] -= total;
        return best;
    }

    private static int sum(int[] w) {
        long s = 0;
        for (int x : w) {
            s += x;
        }
        return (int) s;
    }
}
