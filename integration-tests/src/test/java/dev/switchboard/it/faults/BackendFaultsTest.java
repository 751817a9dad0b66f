package dev.switchboard.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import io.undertow.util.SameThreadExecutor;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Backends that break in ways a real server would not: answering garbage, closing in the middle of
 * a response, getting slow. The client must see a clean 502, an aborted response or a normal one,
 * never a hang or a fake success, and idempotent requests must not fail while a healthy backend is left.
 */
class BackendFaultsTest {

    static final String TRUNCATED = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n0123456789";

    static RawBackend garbage;
    static RawBackend garbageOnly;
    static RawBackend truncating;
    static RawBackend garbageHolding;
    static TestBackend good;
    static TestBackend slow;
    static RouterFixture router;
    static final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slow-backend-timer");
        t.setDaemon(true);
        return t;
    });

    @BeforeAll
    static void start() throws Exception {
        garbage = RawBackend.answering("this is not HTTP at all\r\n\r\n");
        garbageOnly = RawBackend.answering("HTTP/1.1 OOPS\r\n\u0000\u0001\u0002garbage\r\n\r\n");
        truncating = RawBackend.answering(TRUNCATED);
        garbageHolding = RawBackend.answeringAndHolding("SSH-2.0-OpenSSH_9.6\r\n");
        good = TestBackend.start("good");
        slow = TestBackend.start("slow");
        router = RouterFixture.start("""
                services:
                  mixed: {instances: [{address: "%s"}, {address: "%s"}]}
                  broken:
                    instances: [{address: "%s"}]
                    retry: {max_attempts: 1}
                  truncated:
                    instances: [{address: "%s"}]
                  slow: {instances: [{address: "%s"}]}
                  holding:
                    instances: [{address: "%s"}]
                    retry: {max_attempts: 1}
                routes:
                  - {path: /mixed, service: mixed}
                  - {path: /broken, service: broken}
                  - {path: /truncated, service: truncated}
                  - {path: /slow, service: slow}
                  - {path: /holding, service: holding}
                """.formatted(garbage.address(), good.address(), garbageOnly.address(), truncating.address(), slow.address(),
                garbageHolding.address()));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
        garbage.close();
        garbageOnly.close();
        truncating.close();
        garbageHolding.close();
        good.close();
        slow.close();
        timer.shutdownNow();
    }

    @Test
    void invalidHttpFromTheOnlyBackendIsA502WithoutDetails() throws Exception {
        Wire.Reply r = Wire.exchange(router.port(), "GET /broken HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
        assertThat(r.status()).as(r.toString()).isEqualTo(502);
        // Undertow's client parser fails on the garbage and the connection closes, which the router
        // reports as upstream_invalid_response: the backend answered, but not with HTTP.
        assertThat(r.header("X-Switchboard-Error")).as(r.toString()).isEqualTo("upstream_invalid_response");
        assertThat(r.body()).isEqualTo("backend sent an invalid response\n");
        assertThat(r.leaksInternals(garbageOnly.address())).as(r.toString()).isFalse();
        assertThat(garbageOnly.requests()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void invalidHttpOnAConnectionTheBackendKeepsOpenIsA502NotAWaitForTheTimeout() throws Exception {
        // Not HTTP at all (an SSH banner), and the backend does not close: the router must fail the
        // attempt on the bad status line, not wait for the 30 s response timeout.
        long start = System.nanoTime();
        Wire.Reply r = Wire.exchange(router.port(), "GET /holding HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10_000);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(r.status()).as(r.toString()).isEqualTo(502);
        assertThat(r.header("X-Switchboard-Error")).as(r.toString()).isEqualTo("upstream_invalid_response");
        assertThat(r.leaksInternals(garbageHolding.address())).as(r.toString()).isFalse();
        System.out.printf("garbage on a held connection: %s after %d ms%n", r.header("X-Switchboard-Error"), tookMillis);
        assertThat(tookMillis).as("well under the 30 s response timeout").isLessThan(10_000);
    }

    @Test
    void invalidHttpFromOneBackendIsRetriedOnTheOtherWithZeroClientErrors() throws Exception {
        Clients load = Clients.start(router.uri("/mixed/x"), 4, 50, Duration.ofSeconds(10)).await();
        assertThat(load.problems()).as("client-visible errors").isEmpty();
        assertThat(load.completed()).isEqualTo(200);
        assertThat(garbage.requests()).as("the garbage backend was tried, so retries were needed").isGreaterThan(0);
        assertThat(good.requests()).isGreaterThanOrEqualTo(200);
    }

    @Test
    void backendClosingMidResponseGivesAnAbortedResponseNeverAHangOrAFakeSuccess() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", router.port()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /truncated HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            long start = System.nanoTime();
            boolean eof = false;
            try {
                for (int c; (c = in.read()) >= 0; ) {
                    got.write(c);
                }
                eof = true;
            } catch (SocketTimeoutException e) {
                eof = false; // a hang: fails below
            } catch (java.net.SocketException e) {
                eof = true; // reset also ends the response
            }
            String text = got.toString(StandardCharsets.ISO_8859_1);
            assertThat(eof).as("the router ends the client connection, no hang; got: " + text).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
            if (text.startsWith("HTTP/1.1 200")) {
                // The head was relayed: the body must be short of its Content-Length, then EOF.
                assertThat(text).contains("Content-Length: 1000");
                String body = text.substring(text.indexOf("\r\n\r\n") + 4);
                assertThat(body.length()).as("body bytes before the abort").isLessThan(1000);
            } else {
                // Or nothing relayed and a clean gateway error.
                assertThat(text).startsWith("HTTP/1.1 502");
            }
        }
        // The JDK client sees the abort as an exception, never a 200 with a complete body.
        Throwable t = catchThrowable(() -> router.client().send(
                HttpRequest.newBuilder(router.uri("/truncated")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertThat(t).as("a truncated response must not look like a success").isInstanceOf(java.io.IOException.class);
        assertThat(t).isNotInstanceOf(java.net.http.HttpTimeoutException.class);
    }

    @Test
    void slowBackendWithP99TenTimesTheMedianCausesNoErrors() throws Exception {
        AtomicLong n = new AtomicLong();
        // Every 50th request (2%, so the p99) takes 50 ms, the rest 5 ms; answered off a timer so
        // the backend's threads never limit concurrency.
        slow.behave(ex -> {
            long delay = n.incrementAndGet() % 50 == 0 ? 50 : 5;
            ex.dispatch(SameThreadExecutor.INSTANCE, () -> timer.schedule(() -> ex.getResponseSender().send("slow ok\n"),
                    delay, TimeUnit.MILLISECONDS));
        });
        try {
            Clients load = Clients.start(router.uri("/slow/x"), 8, 100, Duration.ofSeconds(15)).await();
            Map<String, Integer> problems = load.problems();
            assertThat(problems).as("client-visible errors").isEmpty();
            assertThat(load.completed()).isEqualTo(800);
            double p50 = Clients.quantileMillis(load.results(), 200, 0.5);
            double p99 = Clients.quantileMillis(load.results(), 200, 0.99);
            System.out.printf("slow backend through the router: p50 %.1f ms, p99 %.1f ms%n", p50, p99);
            assertThat(p99).as("the slow tail reached clients, so the test exercised it").isGreaterThanOrEqualTo(45.0);
        } finally {
            slow.behave(null);
        }
    }

    @Test
    void postAnsweredWithGarbageIsNotResentToAnotherBackend() throws Exception {
        try (RawBackend answersGarbage = RawBackend.answering("HTTP/1.1 OOPS garbage\r\n\r\n");
             TestBackend other = TestBackend.start("other");
             RouterFixture postRouter = RouterFixture.start("""
                     services:
                       orders: {instances: [{address: "%s"}, {address: "%s"}]}
                     routes:
                       - {path: /, service: orders}
                     """.formatted(answersGarbage.address(), other.address()))) {
            for (int i = 0; i < 4; i++) {
                Wire.exchange(postRouter.port(), "POST /order HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 5000);
            }
            int delivered = answersGarbage.requests() + other.requests("/order");
            assertThat(delivered).as("each of the 4 POSTs delivered once").isEqualTo(4);
        }
    }
}
