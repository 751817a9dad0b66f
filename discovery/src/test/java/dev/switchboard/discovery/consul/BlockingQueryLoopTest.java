package dev.switchboard.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The index rules, pacing and backoff of the loop, against a scripted in-memory query. */
class BlockingQueryLoopTest {

    /** A fake of our own BlockingQuery: replays scripted responses and records the indexes sent. */
    static final class ScriptedQuery implements BlockingQuery<String> {
        final Deque<Object> script = new ArrayDeque<>();
        final List<Long> sent = new ArrayList<>();
        final FakeTime time;
        long latencyNanos;

        ScriptedQuery(FakeTime time) {
            this.time = time;
        }

        ScriptedQuery answer(String value, long index) {
            script.add(new Result<>(value, index));
            return this;
        }

        ScriptedQuery fail(String message) {
            script.add(new ConsulRequestException(message, 500));
            return this;
        }

        @Override
        public Result<String> fetch(long index) throws Exception {
            sent.add(index);
            time.now += latencyNanos;
            Object next = script.removeFirst();
            if (next instanceof Exception e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            Result<String> r = (Result<String>) next;
            return r;
        }
    }

    static final class FakeTime {
        long now = 1_000_000_000L;
    }

    /** Records what a loop reports; safe to read from the test thread while the loop runs on its own. */
    static final class Recorder implements BlockingQueryLoop.Handler<String> {
        final List<String> values = new CopyOnWriteArrayList<>();
        final List<Duration> retries = new CopyOnWriteArrayList<>();
        /** failuresBefore of each success: recorded after the loop reset its count, unlike values. */
        final List<Integer> successes = new CopyOnWriteArrayList<>();

        @Override
        public void onValue(String value) {
            values.add(value);
        }

        @Override
        public void onSuccess(int failuresBefore) {
            successes.add(failuresBefore);
        }

        @Override
        public void onError(Exception error, int consecutiveFailures, Duration retryIn) {
            retries.add(retryIn);
        }
    }

    private final FakeTime time = new FakeTime();
    private final ScriptedQuery query = new ScriptedQuery(time);
    private final Recorder recorder = new Recorder();

    private BlockingQueryLoop<String> loop(Duration minInterval) {
        return new BlockingQueryLoop<>("test", query, recorder,
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(7)), minInterval, () -> time.now);
    }

    @Test
    void sendsTheLastIndexAndDeliversOnlyChanges() {
        query.answer("a", 10).answer("a", 10).answer("b", 12);
        BlockingQueryLoop<String> loop = loop(Duration.ZERO);
        loop.step();
        loop.step();
        loop.step();
        assertThat(query.sent).containsExactly(0L, 10L, 10L);
        assertThat(recorder.values).containsExactly("a", "b");
        assertThat(loop.index()).isEqualTo(12);
    }

    @Test
    void indexGoingBackwardsResetsToZeroAndDelivers() {
        query.answer("a", 50).answer("restored", 7).answer("restored", 9);
        BlockingQueryLoop<String> loop = loop(Duration.ZERO);
        loop.step();
        loop.step();
        assertThat(loop.index()).isZero();
        loop.step();
        assertThat(query.sent).containsExactly(0L, 50L, 0L);
        assertThat(recorder.values).containsExactly("a", "restored", "restored");
        assertThat(loop.index()).isEqualTo(9);
    }

    @Test
    void indexZeroOrNegativeResetsToZero() {
        query.answer("a", 5).answer("b", 0).answer("c", -3).answer("d", 4);
        BlockingQueryLoop<String> loop = loop(Duration.ZERO);
        for (int i = 0; i < 4; i++) {
            loop.step();
        }
        assertThat(query.sent).containsExactly(0L, 5L, 0L, 0L);
        assertThat(recorder.values).containsExactly("a", "b", "c", "d");
    }

    @Test
    void instantUnchangedAnswersArePacedByMinInterval() {
        query.answer("a", 3).answer("a", 3);
        query.latencyNanos = Duration.ofMillis(1).toNanos();
        BlockingQueryLoop<String> loop = loop(Duration.ofMillis(250));
        loop.step();
        Duration wait = loop.step();
        assertThat(wait).isEqualTo(Duration.ofMillis(249));
    }

    @Test
    void aLongBlockingAnswerIsFollowedAtOnce() {
        query.answer("a", 3);
        query.latencyNanos = Duration.ofSeconds(5).toNanos();
        assertThat(loop(Duration.ofMillis(250)).step()).isZero();
    }

    @Test
    void errorsBackOffExponentiallyWithJitterAndTheRetryAsksWithoutBlocking() {
        query.answer("a", 8);
        for (int i = 0; i < 8; i++) {
            query.fail("boom " + i);
        }
        query.answer("a", 8).fail("again");
        BlockingQueryLoop<String> loop = loop(Duration.ZERO);
        for (int i = 0; i < 11; i++) {
            loop.step();
        }
        // d = min(2 s, 100 ms * 2^(n-1)); each delay in [d/2, d]
        long[] caps = {100, 200, 400, 800, 1600, 2000, 2000, 2000};
        for (int i = 0; i < caps.length; i++) {
            assertThat(recorder.retries.get(i).toMillis()).as("retry %d", i + 1).isBetween(caps[i] / 2, caps[i]);
        }
        assertThat(recorder.retries.get(8).toMillis()).as("reset after success").isBetween(50L, 100L);
        // the first request after an error does not block: a restarted Consul may be behind our index
        assertThat(query.sent).containsExactly(0L, 8L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 8L);
        assertThat(recorder.values).containsExactly("a", "a");
    }

    @Test
    void aHandlerThatThrowsCountsAsFailureAndTheValueIsDeliveredAgain() {
        query.answer("a", 4).answer("a", 4);
        List<String> seen = new ArrayList<>();
        BlockingQueryLoop<String> loop = new BlockingQueryLoop<>("test", query, new BlockingQueryLoop.Handler<>() {
            @Override
            public void onValue(String value) {
                seen.add(value);
                if (seen.size() == 1) {
                    throw new IllegalStateException("listener bug");
                }
            }

            @Override
            public void onError(Exception error, int failures, Duration retryIn) {
                recorder.retries.add(retryIn);
            }
        }, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(7)), Duration.ZERO, () -> time.now);
        loop.step();
        loop.step();
        assertThat(query.sent).containsExactly(0L, 0L);
        assertThat(seen).containsExactly("a", "a");
        assertThat(recorder.retries).hasSize(1);
        assertThat(loop.index()).isEqualTo(4);
    }

    @Test
    void aRequestAbortedByStopIsNoFailure() {
        AtomicReference<BlockingQueryLoop<String>> self = new AtomicReference<>();
        self.set(new BlockingQueryLoop<>("test", index -> {
            self.get().stop(); // what close() does while the request is in flight: stop, then abort the connection
            throw new ConsulRequestException("GET /v1/catalog/services: SocketException: Socket closed", null);
        }, recorder, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(7)), Duration.ZERO,
                () -> time.now));
        assertThat(self.get().step()).isZero();
        assertThat(recorder.retries).isEmpty();
        assertThat(self.get().consecutiveFailures()).isZero();
    }

    @Test
    void stopEndsARunningLoopWhileItWaits() throws Exception {
        for (int i = 0; i < 3; i++) {
            query.fail("down");
        }
        BlockingQueryLoop<String> loop = new BlockingQueryLoop<>("test", query, recorder,
                new Backoff(Duration.ofSeconds(30), Duration.ofSeconds(30), new Random(1)), Duration.ZERO, () -> time.now);
        Thread t = new Thread(loop);
        t.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> recorder.retries.size() == 1);
        loop.stop();
        t.join(5_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(query.sent).hasSize(1);
    }
}
