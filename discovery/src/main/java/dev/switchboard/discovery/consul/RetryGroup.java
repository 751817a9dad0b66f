package dev.switchboard.discovery.consul;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BlockingQueryLoop}s that ask the same Consul. When one of them is answered after
 * failures, Consul is back: every other loop of the group that is waiting out a retry backoff
 * retries within a random jitter of at most {@code maxJitter} (so they do not all hit the agent in
 * the same millisecond), and its backoff starts over. Loops in a blocking query, or pacing between
 * two requests, are left alone. Without this each watch waits out its own backoff, up to the cap,
 * and the catalog stays behind for that long after Consul recovered.
 *
 * <p>Only loops that are backing off are members at any moment; a wake takes a loop out, so one
 * recovery costs each waiting loop one wake however many loops recover with it.
 */
public final class RetryGroup {

    private static final Logger log = LoggerFactory.getLogger(ConsulDiscovery.class);

    private final Set<BlockingQueryLoop<?>> backingOff = ConcurrentHashMap.newKeySet();
    private final long maxJitterNanos;
    private final Random random;

    public RetryGroup(Duration maxJitter, Random random) {
        this.maxJitterNanos = maxJitter.toNanos();
        this.random = Objects.requireNonNull(random, "random");
        if (maxJitterNanos < 0) {
            throw new IllegalArgumentException("maxJitter: " + maxJitter + " (expected: >= 0)");
        }
    }

    /** A group of one loop: nothing wakes it early. */
    static RetryGroup alone() {
        return new RetryGroup(Duration.ZERO, new Random());
    }

    /** {@code loop} has started waiting out a backoff. */
    void backingOff(BlockingQueryLoop<?> loop) {
        backingOff.add(loop);
    }

    /** {@code loop} is no longer waiting out a backoff (it is asking Consul again, or it stopped). */
    void done(BlockingQueryLoop<?> loop) {
        backingOff.remove(loop);
    }

    /**
     * {@code loop} was answered after failures: the other loops waiting out a backoff retry soon.
     *
     * @return how many loops were woken
     */
    int answeredAfterFailures(BlockingQueryLoop<?> loop) {
        int woken = 0;
        for (BlockingQueryLoop<?> other : backingOff) {
            if (other != loop && backingOff.remove(other) && other.retrySoon(jitterNanos())) {
                woken++;
            }
        }
        if (woken > 0) {
            log.info("consul {}: answered again; watches backing off retry within {} ms: {}", loop.name(),
                    Duration.ofNanos(maxJitterNanos).toMillis(), woken);
        }
        return woken;
    }

    private long jitterNanos() {
        return maxJitterNanos == 0 ? 0 : (long) (random.nextDouble() * maxJitterNanos);
    }
}
