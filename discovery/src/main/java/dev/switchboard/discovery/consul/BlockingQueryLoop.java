package dev.switchboard.discovery.consul;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
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
    private final CountDownLatch stopped = new CountDownLatch(1);
    private long index;
    private int failures;

    public BlockingQueryLoop(String name, BlockingQuery<T> query, Handler<T> handler, Backoff backoff,
            Duration minInterval, LongSupplier nanoTime) {
        this.name = Objects.requireNonNull(name, "name");
        this.query = Objects.requireNonNull(query, "query");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.minIntervalNanos = minInterval.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
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
            handler.onSuccess(before);
            return untilNextStart(start, 0);
        } catch (Exception e) {
            if (isStopped()) {
                return Duration.ZERO; // stopping aborts the request in flight: that is no Consul failure
            }
            index = 0;
            failures++;
            Duration retry = backoff.delay(failures);
            handler.onError(e, failures, retry);
            return untilNextStart(start, retry.toNanos());
        }
    }

    private Duration untilNextStart(long start, long atLeastNanos) {
        long elapsed = nanoTime.getAsLong() - start;
        long pace = Math.max(0, minIntervalNanos - elapsed);
        return Duration.ofNanos(Math.max(pace, atLeastNanos));
    }

    /** Loops until {@link #stop()}; waits between requests without holding any lock. */
    @Override
    public void run() {
        while (!isStopped()) {
            Duration wait = step();
            if (isStopped()) {
                return;
            }
            try {
                if (!wait.isZero() && stopped.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Ends the loop after the request in flight; a waiting loop ends at once. */
    public void stop() {
        stopped.countDown();
    }

    public boolean isStopped() {
        return stopped.getCount() == 0;
    }
}
