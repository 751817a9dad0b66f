package dev.switchboard.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.consul.BlockingQueryLoopTest.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Loops of one {@link RetryGroup}: one answered after failures makes the others that wait out a
 * backoff retry soon with their backoff started over; a loop in its blocking query is left alone.
 * The backoffs here are minutes to hours, so a loop that retries during a test was woken.
 */
class RetryGroupTest {

    private static final String FAIL = "fail";

    /**
     * A fake of our own BlockingQuery: each request takes the next outcome the test offers and waits
     * for one while there is none, as a blocking query waits for a change.
     */
    static final class OfferedQuery implements BlockingQuery<String> {
        final BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
        final AtomicInteger requests = new AtomicInteger();

        OfferedQuery then(String... next) {
            outcomes.addAll(List.of(next));
            return this;
        }

        @Override
        public Result<String> fetch(long index) throws Exception {
            requests.incrementAndGet();
            String next = outcomes.poll(1, TimeUnit.MINUTES);
            if (next == null || next.equals(FAIL)) {
                throw new ConsulRequestException("HTTP 500", 500);
            }
            return new Result<>(next, 7);
        }
    }

    private final RetryGroup group = new RetryGroup(Duration.ofMillis(250), new Random(11));
    private final List<BlockingQueryLoop<String>> loops = new ArrayList<>();
    private final List<OfferedQuery> queries = new ArrayList<>();

    private BlockingQueryLoop<String> loop(OfferedQuery query, Recorder recorder, Duration retryMin) {
        return loop(query, recorder, retryMin, group);
    }

    private BlockingQueryLoop<String> loop(OfferedQuery query, Recorder recorder, Duration retryMin, RetryGroup in) {
        BlockingQueryLoop<String> loop = new BlockingQueryLoop<>("watch " + loops.size(), query, recorder,
                new Backoff(retryMin, Duration.ofHours(1), new Random(5)), Duration.ZERO, System::nanoTime, in);
        loops.add(loop);
        queries.add(query);
        return loop;
    }

    private static Thread running(BlockingQueryLoop<String> loop) {
        Thread t = new Thread(loop, loop.name());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A loop driven by hand that fails once and then is answered: Consul is back. */
    private BlockingQueryLoop<String> recovered() {
        BlockingQueryLoop<String> a = loop(new OfferedQuery().then(FAIL, "a"), new Recorder(), Duration.ofHours(1));
        a.step();
        a.step();
        assertThat(a.consecutiveFailures()).isZero();
        return a;
    }

    @AfterEach
    void stopAll() {
        loops.forEach(BlockingQueryLoop::stop);
        queries.forEach(q -> q.outcomes.add(FAIL)); // ends a request that waits for an outcome
    }

    @Test
    void aLoopAnsweredAfterFailuresWakesTheOthersOutOfTheirBackoff() {
        OfferedQuery query = new OfferedQuery().then(FAIL, "b");
        Recorder recorder = new Recorder();
        BlockingQueryLoop<String> b = loop(query, recorder, Duration.ofHours(1));
        running(b);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.retries.size() == 1); // waits out an hour

        recovered();

        // Not values: onValue runs before the loop resets its failure count; onSuccess runs after.
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.successes.equals(List.of(1)));
        assertThat(recorder.values).containsExactly("b");
        assertThat(recorder.retries).hasSize(1);
        assertThat(b.consecutiveFailures()).isZero();
    }

    @Test
    void aWokenLoopStartsItsBackoffOverAndKeepsCountingFailures() {
        OfferedQuery query = new OfferedQuery().then(FAIL, FAIL, FAIL, FAIL, FAIL, FAIL, FAIL);
        Recorder recorder = new Recorder();
        BlockingQueryLoop<String> b = loop(query, recorder, Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            b.step(); // by hand: the waits are not waited
        }
        running(b); // failure 6 waits 16..32 min
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.retries.size() == 6);

        recovered();

        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.retries.size() == 7);
        assertThat(recorder.retries.get(5)).isBetween(Duration.ofMinutes(16), Duration.ofMinutes(32));
        assertThat(recorder.retries.get(6)).as("first step again").isBetween(Duration.ofSeconds(30),
                Duration.ofMinutes(1));
        assertThat(b.consecutiveFailures()).isEqualTo(7);
    }

    @Test
    void aLoopInItsBlockingQueryIsLeftAloneAndItsNextBackoffIsWaitedOut() {
        OfferedQuery query = new OfferedQuery();
        Recorder recorder = new Recorder();
        BlockingQueryLoop<String> b = loop(query, recorder, Duration.ofHours(1));
        running(b);
        await().atMost(Duration.ofSeconds(5)).until(() -> query.requests.get() == 1);

        BlockingQueryLoop<String> a = recovered();
        assertThat(group.answeredAfterFailures(a)).isZero();

        query.outcomes.add(FAIL); // b's blocking query fails after the recovery: its own backoff applies
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.retries.size() == 1);
        await().during(Duration.ofMillis(750)).atMost(Duration.ofSeconds(2)).until(() -> query.requests.get() == 1);
    }

    @Test
    void aStoppedLoopIsNotWoken() throws Exception {
        Recorder recorder = new Recorder();
        BlockingQueryLoop<String> b = loop(new OfferedQuery().then(FAIL), recorder, Duration.ofHours(1));
        Thread t = running(b);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.retries.size() == 1);
        b.stop();
        t.join(5_000);

        assertThat(t.isAlive()).isFalse();
        assertThat(group.answeredAfterFailures(recovered())).isZero();
    }

    /** A query that fails until the test opens it, then answers {@code value} every time. */
    static final class OutageQuery implements BlockingQuery<String> {
        final AtomicInteger requests = new AtomicInteger();
        volatile boolean up;
        private final String value;

        OutageQuery(String value) {
            this.value = value;
        }

        @Override
        public Result<String> fetch(long index) throws Exception {
            requests.incrementAndGet();
            if (!up) {
                throw new ConsulRequestException("connection refused", 0);
            }
            return new Result<>(value, 7);
        }
    }

    private final RetryGroup scouting = new RetryGroup(Duration.ofMillis(50), Duration.ofMillis(200), new Random(3));

    private BlockingQueryLoop<String> scoutingLoop(OutageQuery query, Recorder recorder) {
        BlockingQueryLoop<String> loop = new BlockingQueryLoop<>("watch " + loops.size(), query, recorder,
                new Backoff(Duration.ofHours(1), Duration.ofHours(1), new Random(5)), Duration.ZERO, System::nanoTime, scouting);
        loops.add(loop);
        return loop;
    }

    @Test
    void theScoutAsksWithinItsIntervalTheOthersWaitAndAllCatchUpWhenConsulIsBack() {
        OutageQuery first = new OutageQuery("first");
        OutageQuery second = new OutageQuery("second");
        Recorder firstSeen = new Recorder();
        Recorder secondSeen = new Recorder();
        running(scoutingLoop(first, firstSeen));
        await().atMost(Duration.ofSeconds(5)).until(() -> firstSeen.retries.size() >= 1); // the scout retries every 200 ms
        running(scoutingLoop(second, secondSeen));
        await().atMost(Duration.ofSeconds(5)).until(() -> secondSeen.retries.size() == 1);

        // Backoffs of an hour: only the scout (the first to back off) asks again meanwhile.
        await().atMost(Duration.ofSeconds(10)).until(() -> first.requests.get() >= 4);
        assertThat(second.requests.get()).isEqualTo(1);
        assertThat(firstSeen.retries).allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo(Duration.ofMillis(200)));
        assertThat(secondSeen.retries.get(0)).isGreaterThan(Duration.ofMinutes(30));

        first.up = true;
        second.up = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> firstSeen.values.contains("first") && secondSeen.values.contains("second"));
    }

    @Test
    void aScoutThatStopsHandsItsRoleToALoopStillBackingOff() throws Exception {
        OutageQuery first = new OutageQuery("first");
        OutageQuery second = new OutageQuery("second");
        Recorder firstSeen = new Recorder();
        Recorder secondSeen = new Recorder();
        BlockingQueryLoop<String> scout = scoutingLoop(first, firstSeen);
        Thread scoutThread = running(scout);
        await().atMost(Duration.ofSeconds(5)).until(() -> firstSeen.retries.size() >= 1); // the scout retries every 200 ms
        running(scoutingLoop(second, secondSeen));
        await().atMost(Duration.ofSeconds(5)).until(() -> secondSeen.retries.size() == 1);

        scout.stop();
        scoutThread.join(5_000);
        assertThat(scoutThread.isAlive()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> second.requests.get() >= 3);
        second.up = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> secondSeen.values.contains("second"));
    }

    @Test
    void withoutAScoutEveryLoopWaitsOutItsBackoff() {
        OutageQuery only = new OutageQuery("only");
        Recorder seen = new Recorder();
        BlockingQueryLoop<String> loop = new BlockingQueryLoop<>("watch", only, seen,
                new Backoff(Duration.ofHours(1), Duration.ofHours(1), new Random(5)), Duration.ZERO, System::nanoTime, group);
        loops.add(loop);
        running(loop);
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.retries.size() == 1);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> only.requests.get() == 1);
        assertThat(seen.retries.get(0)).isGreaterThan(Duration.ofMinutes(30));
    }
}
