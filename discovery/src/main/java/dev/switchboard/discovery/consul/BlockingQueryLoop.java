package dev.switchboard.discovery.consul;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The one blocking-query loop every watch uses (service list, each service, KV keys). It owns
 * Consul's index rules, pacing and backoff:
 * <ul>
 *   <li>The next request carries the index of the last response it handled.</li>
 *   <li>If the returned index is &le; 0 or lower than the one sent, the index is reset to 0 and the
 *       value delivered: Consul's state went back (restore, new leader without history).</li>
 *   <li>A response with the same index as the request is not delivered again (the wait ran out).</li>
 *   <li>Two requests start at least {@code minInterval} apart, so a Consul that answers at once
 *       with an unchanged index cannot drive a hot loop.</li>
 *   <li>On an error the next request waits a jittered exponential {@link Backoff} (the first
 *       success resets it) and is sent with index 0: if Consul restarted with a lower index, a
 *       blocking request with the old one would wait the full wait time before the reset rule
 *       could apply. The value that comes back is delivered; consumers skip unchanged ones.</li>
 *   <li>When another loop of its {@link RetryGroup} is answered after failures, a loop waiting out
 *       a backoff retries within the group's small jitter and its backoff starts over; the count of
 *       consecutive failures it reports goes on until it is answered itself. The group's scout
 *       waits at most the group's scout interval, whatever its backoff; the wait it reports to the
 *       handler is the one it keeps.</li>
 *   <li>A request that fails after {@link #stop()} (closing aborts it) is not reported.</li>
 * </ul>
 * Use {@link #step()} to drive it by hand (tests) or {@link #run()} on a dedicated thread.
 *
 * @param <T> the decoded value
 */
public final class BlockingQueryLoop<T> implements Runnable {

    /** What the loop reports. Called on the loop's thread. */
    public interface Handler<T> {
        /** A new value: first response, a new index, or a reset. Throwing counts as a failed request. */
        void onValue(T value);

        /** A request succeeded, changed or not. */
        default void onSuccess(int failuresBefore) {
        }

        /** A request failed; the next one follows after {@code retryIn}. */
        void onError(Exception error, int consecutiveFailures, Duration retryIn);
    }

    private final String name;
    private final BlockingQuery<T> query;
    private final Handler<T> handler;
    private final Backoff backoff;
    private final long minIntervalNanos;
    private final LongSupplier nanoTime;
    private final RetryGroup group;
    private long index;
    private int failures;
    private int backoffSteps;
    private final Object pause = new Object();
    private volatile boolean stopped;
    // guarded by pause: when the next request starts, and whether the wait until then is a backoff
    private long nextStartAt;
    private boolean backingOff;
    private boolean woken;

    /** A loop that backs off on its own. */
    public BlockingQueryLoop(String name, BlockingQuery<T> query, Handler<T> handler, Backoff backoff,
            Duration minInterval, LongSupplier nanoTime) {
        this(name, query, handler, backoff, minInterval, nanoTime, RetryGroup.alone());
    }

    /** A loop whose backoff ends early when another loop of {@code group} is answered after failures. */
    public BlockingQueryLoop(String name, BlockingQuery<T> query, Handler<T> handler, Backoff backoff,
            Duration minInterval, LongSupplier nanoTime, RetryGroup group) {
        this.name = Objects.requireNonNull(name, "name");
        this.query = Objects.requireNonNull(query, "query");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.minIntervalNanos = minInterval.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.group = Objects.requireNonNull(group, "group");
    }

    public String name() {
        return name;
    }

    /** The index the next request will send. */
    public long index() {
        return index;
    }

    public int consecutiveFailures() {
        return failures;
    }

    /**
     * Performs one request and handles its outcome.
     *
     * @return how long to wait before the next request
     */
    public Duration step() {
        endBackoff();
        long start = nanoTime.getAsLong();
        long sent = index;
        try {
            BlockingQuery.Result<T> r = query.fetch(sent);
            long got = r.index();
            boolean reset = got <= 0 || got < sent;
            if (reset || got != sent) {
                handler.onValue(r.value());
            }
            index = reset ? 0 : got;
            int before = failures;
            failures = 0;
            backoffSteps = 0;
            handler.onSuccess(before);
            if (before > 0) {
                group.answeredAfterFailures(this);
            }
            return nextStart(start, 0, false);
        } catch (Exception e) {
            if (isStopped()) {
                return Duration.ZERO; // stopping aborts the request in flight: that is no Consul failure
            }
            index = 0;
            failures++;
            backoffSteps++;
            Duration retry = backoff.delay(backoffSteps);
            // In the group before anyone hears of the error; the wait is shorter than the backoff
            // when this loop is the group's scout.
            Duration wait = nextStart(start, retry.toNanos(), true);
            handler.onError(e, failures, wait);
            return wait;
        }
    }

    /** Sets when the next request starts: {@code minInterval} after this one, {@code atLeastNanos} from now. */
    private Duration nextStart(long start, long atLeastNanos, boolean backoff) {
        long now = nanoTime.getAsLong();
        long wait = Math.max(Math.max(0, minIntervalNanos - (now - start)), atLeastNanos);
        synchronized (pause) {
            nextStartAt = now + wait;
            backingOff = backoff;
            woken = false;
        }
        if (backoff) {
            group.backingOff(this);
            synchronized (pause) {
                wait = Math.max(0, Math.min(wait, nextStartAt - nanoTime.getAsLong()));
            }
        }
        return Duration.ofNanos(wait);
    }

    /**
     * Called by the group to make this loop its scout: a backoff wait ends within {@code capNanos}.
     *
     * @return false if this loop is not waiting out a backoff (or stopped), and so cannot scout
     */
    boolean retryWithin(long capNanos) {
        return startWithin(capNanos, false);
    }

    /**
     * Moves a backoff wait's end to at most {@code nanos} from now; {@code wake}: the backoff
     * starts over at the next request (the group saw Consul answer).
     *
     * @return false if this loop is not waiting out a backoff, or stopped
     */
    private boolean startWithin(long nanos, boolean wake) {
        synchronized (pause) {
            if (!backingOff || stopped) {
                return false;
            }
            long now = nanoTime.getAsLong();
            if (nextStartAt - now > nanos) {
                nextStartAt = now + nanos;
            }
            woken |= wake;
            pause.notifyAll();
            return true;
        }
    }

    /** Called by the group: if this loop is waiting out a backoff, it retries after {@code jitterNanos}. */
    boolean retrySoon(long jitterNanos) {
        return startWithin(jitterNanos, true);
    }

    /** Before each request: a backoff cut short by the group starts over. */
    private void endBackoff() {
        synchronized (pause) {
            if (woken) {
                backoffSteps = 0;
            }
            backingOff = false;
            woken = false;
        }
        group.done(this);
    }

    /**
     * Loops until {@link #stop()}; waits between requests on its own monitor only. Waits by the
     * loop's {@code nanoTime}, so that clock must advance (a fake one only works until a stop or a wake).
     */
    @Override
    public void run() {
        try {
            while (!isStopped()) {
                step();
                if (!awaitNextStart()) {
                    return;
                }
            }
        } finally {
            endBackoff();
            group.left(this);
        }
    }

    /** Waits until the next request may start (the group may move that earlier); false if stopped. */
    private boolean awaitNextStart() {
        synchronized (pause) {
            long left;
            while (!stopped && (left = nextStartAt - nanoTime.getAsLong()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(pause, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !stopped;
        }
    }

    /** Ends the loop after the request in flight; a waiting loop ends at once. */
    public void stop() {
        synchronized (pause) {
            stopped = true;
            pause.notifyAll();
        }
        group.left(this);
    }

    public boolean isStopped() {
        return stopped;
    }
}
