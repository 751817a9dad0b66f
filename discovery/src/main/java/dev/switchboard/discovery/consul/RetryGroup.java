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
 *
 * <p>With a scout interval, one of the loops backing off (the scout) waits at most that long
 * before it asks again, however long its own backoff has grown; the others wait out theirs. After
 * a long outage the first answer then comes within the scout interval of Consul's return rather
 * than within the backoff cap, and one request per interval is all the group sends meanwhile.
 */
public final class RetryGroup {

    private static final Logger log = LoggerFactory.getLogger(ConsulDiscovery.class);

    private final Set<BlockingQueryLoop<?>> backingOff = ConcurrentHashMap.newKeySet();
    private final long maxJitterNanos;
    private final long scoutNanos;
    private final Random random;
    /** The member whose backoff wait is capped at the scout interval, if any; guarded by this. */
    private BlockingQueryLoop<?> scout;

    /** A group without a scout: every loop waits out its own backoff until another is answered. */
    public RetryGroup(Duration maxJitter, Random random) {
        this(maxJitter, Duration.ZERO, random);
    }

    /** A group whose scout asks again at least every {@code scoutInterval} (zero: no scout). */
    public RetryGroup(Duration maxJitter, Duration scoutInterval, Random random) {
        this.maxJitterNanos = maxJitter.toNanos();
        this.scoutNanos = scoutInterval.toNanos();
        this.random = Objects.requireNonNull(random, "random");
        if (maxJitterNanos < 0) {
            throw new IllegalArgumentException("maxJitter: " + maxJitter + " (expected: >= 0)");
        }
        if (scoutNanos < 0) {
            throw new IllegalArgumentException("scoutInterval: " + scoutInterval + " (expected: >= 0)");
        }
    }

    /** A group of one loop: nothing wakes it early. */
    static RetryGroup alone() {
        return new RetryGroup(Duration.ZERO, new Random());
    }

    /** {@code loop} has started waiting out a backoff; it becomes the scout if the group has none. */
    void backingOff(BlockingQueryLoop<?> loop) {
        backingOff.add(loop);
        if (scoutNanos > 0) {
            synchronized (this) {
                if ((scout == null || scout == loop) && loop.retryWithin(scoutNanos)) {
                    scout = loop;
                }
            }
        }
    }

    /**
     * {@code loop} is no longer waiting out a backoff: it is asking Consul again. A scout stays the
     * scout while it asks: its request is the probe.
     */
    void done(BlockingQueryLoop<?> loop) {
        backingOff.remove(loop);
    }

    /** {@code loop} stopped: a scout hands its role to a loop that is backing off, if there is one. */
    void left(BlockingQueryLoop<?> loop) {
        backingOff.remove(loop);
        if (scoutNanos > 0) {
            synchronized (this) {
                if (scout == loop) {
                    scout = null;
                    for (BlockingQueryLoop<?> other : backingOff) {
                        if (other.retryWithin(scoutNanos)) {
                            scout = other;
                            break;
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code loop} was answered after failures: the other loops waiting out a backoff retry soon.
     *
     * @return how many loops were woken
     */
    int answeredAfterFailures(BlockingQueryLoop<?> loop) {
        if (scoutNanos > 0) {
            synchronized (this) {
                if (scout == loop) {
                    scout = null; // the next loop to fail scouts
                }
            }
        }
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
