package dev.switchboard.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import io.undertow.util.SameThreadExecutor;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * More clients than upstream connections: with one IO thread, {@code connections_per_thread: 2},
 * {@code max_queue: 4}, {@code queue_timeout: 200ms} and a backend that takes 100 ms, the router can
 * serve about 20 requests/s. The excess must get fast 503 {@code upstream_overloaded} answers (far
 * below every timeout), the admitted requests must succeed with bounded latency, and the router must
 * serve normally afterwards.
 *
 * <p>The "twice capacity" run lasts 10 s here; {@code -Dswitchboard.faults.full=true} makes it the
 * one minute issue #7 asks for: the command is in {@code package-info.java}.
 */
class OverloadTest {

    /**
     * A 503 slower than this is not "fast": a rejected request waits at most queue_timeout (200 ms)
     * once, since with one backend a local rejection is answered at once, not retried (see
     * ProxyExchange.rejected), plus 1 s of scheduling slack on 2 shared cores. Still below the 2 s
     * connect timeout and far below the 30 s response timeout.
     */
    static final long FAST_MILLIS = 200 + 1000;
    /** Admitted: up to queue_timeout (200 ms) waiting plus 100 ms service, with scheduling slack on 2 shared cores. */
    static final long ADMITTED_BOUND_MILLIS = 2000;

    /**
     * The router used to retry its own local rejection (pool full, queue full or queue timeout), so
     * the excess was labelled {@code retry_budget_exhausted} once the retry budget ran out; it no
     * longer does ({@link #localOverloadIsAnsweredAtOnceNotRetried()}), the set still accepts both.
     */
    static final java.util.Set<String> OVERLOAD_CODES = java.util.Set.of("upstream_overloaded", "retry_budget_exhausted");

    static TestBackend backend;
    static RouterFixture router;
    static final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "overload-timer");
        t.setDaemon(true);
        return t;
    });

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("b");
        backend.behave(ex -> ex.dispatch(SameThreadExecutor.INSTANCE,
                () -> timer.schedule(() -> ex.getResponseSender().send("ok\n"), 100, TimeUnit.MILLISECONDS)));
        router = RouterFixture.start("""
                listen: {address: 127.0.0.1, port: 0, io_threads: 1}
                admin: {enabled: false}
                upstream: {connections_per_thread: 2, max_queue: 4, queue_timeout: 200ms}
                services:
                  web: {instances: [{address: "%s"}]}
                routes:
                  - {path: /, service: web}
                """.formatted(backend.address()));
        // Warm up: class loading and the first upstream connections must not count as overload latency.
        for (int i = 0; i < 10; i++) {
            assertThat(router.get("/warm").statusCode()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        router.close();
        backend.close();
        timer.shutdownNow();
    }

    @Test
    void fiftyConcurrentClientsGetFast503sForTheExcessAndTheRouterRecovers() throws Exception {
        int clients = 50;
        HttpClient client = warmClient();
        HttpRequest request = HttpRequest.newBuilder(router.uri("/burst")).timeout(Duration.ofSeconds(20)).build();
        List<CompletableFuture<Clients.Result>> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            all.add(Clients.sendAsync(client, request));
        }
        List<Clients.Result> results = all.stream().map(CompletableFuture::join).toList();

        List<Clients.Result> rejected = results.stream().filter(r -> r.status() == 503).toList();
        List<Clients.Result> admitted = results.stream().filter(r -> r.status() == 200).toList();
        System.out.printf("burst of %d: %d admitted (max %.0f ms), %d rejected (max %.0f ms) %s%n", clients, admitted.size(),
                Clients.quantileMillis(results, 200, 1.0), rejected.size(), Clients.quantileMillis(results, 503, 1.0),
                rejected.stream().collect(java.util.stream.Collectors.groupingBy(Clients.Result::code, java.util.stream.Collectors.counting())));
        assertThat(rejected.size() + admitted.size()).as("only 200 or 503: " + results).isEqualTo(clients);
        assertThat(rejected).as("the excess is refused").isNotEmpty();
        // At least the two connections' worth. Not necessarily six: the last two queue slots wait about
        // 200 ms, which is the queue timeout, and retried rejections compete for the slots (see
        // localOverloadIsAnsweredAtOnceNotRetried).
        assertThat(admitted.size()).as("admitted").isGreaterThanOrEqualTo(2);
        assertThat(rejected).allSatisfy(r -> {
            assertThat(r.code()).isIn(OVERLOAD_CODES);
            assertThat(TimeUnit.NANOSECONDS.toMillis(r.nanos())).isLessThan(FAST_MILLIS);
        });

        // Recovery: sequential requests all succeed once the burst is over.
        for (int i = 0; i < 10; i++) {
            assertThat(router.get("/after").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void twiceCapacityGivesBoundedLatencyToTheAdmittedAndFast503sToTheRest() throws Exception {
        boolean full = Boolean.getBoolean("switchboard.faults.full");
        Duration length = full ? Duration.ofMinutes(1) : Duration.ofSeconds(10);
        // Capacity is 2 connections / 100 ms = 20 requests/s; offer 40/s, open loop (a new request
        // every 25 ms whatever happens to the earlier ones).
        HttpClient client = warmClient();
        HttpRequest request = HttpRequest.newBuilder(router.uri("/twice")).timeout(Duration.ofSeconds(20)).build();
        ConcurrentLinkedQueue<CompletableFuture<Clients.Result>> sent = new ConcurrentLinkedQueue<>();
        var ticks = timer.scheduleAtFixedRate(() -> sent.add(Clients.sendAsync(client, request)), 0, 25, TimeUnit.MILLISECONDS);
        Thread.sleep(length.toMillis()); // the run's length is the load itself, not a wait for a condition
        ticks.cancel(false);
        List<Clients.Result> results = sent.stream().map(CompletableFuture::join).toList();

        List<Clients.Result> rejected = results.stream().filter(r -> r.status() == 503).toList();
        List<Clients.Result> admitted = results.stream().filter(r -> r.status() == 200).toList();
        System.out.printf("twice capacity for %d s: %d sent, %d admitted (p99 %.0f ms, max %.0f ms), %d rejected (p99 %.0f ms, max %.0f ms)%n",
                length.toSeconds(), results.size(), admitted.size(),
                Clients.quantileMillis(results, 200, 0.99), Clients.quantileMillis(results, 200, 1.0),
                rejected.size(), Clients.quantileMillis(results, 503, 0.99), Clients.quantileMillis(results, 503, 1.0));
        assertThat(rejected.size() + admitted.size()).as("no timeouts or transport errors, only 200 or 503").isEqualTo(results.size());
        assertThat(rejected).as("the excess is refused").isNotEmpty();
        assertThat(admitted.size()).as("at least a quarter of capacity is served").isGreaterThanOrEqualTo((int) (length.toSeconds() * 5));
        assertThat(rejected).allSatisfy(r -> {
            assertThat(r.code()).isIn(OVERLOAD_CODES);
            assertThat(TimeUnit.NANOSECONDS.toMillis(r.nanos())).isLessThan(FAST_MILLIS);
        });
        assertThat(admitted).allSatisfy(r -> assertThat(TimeUnit.NANOSECONDS.toMillis(r.nanos())).isLessThan(ADMITTED_BOUND_MILLIS));
        assertThat(router.get("/after").statusCode()).isEqualTo(200);
    }

    /** A client that has sent one request: its first use (selector thread, first connection) is not timed. */
    static HttpClient warmClient() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(router.uri("/warm")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return client;
    }

    @Test
    void localOverloadIsAnsweredAtOnceNotRetried() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(router.uri("/no-retry")).timeout(Duration.ofSeconds(20)).build();
        ConcurrentLinkedQueue<CompletableFuture<Clients.Result>> sent = new ConcurrentLinkedQueue<>();
        var ticks = timer.scheduleAtFixedRate(() -> sent.add(Clients.sendAsync(client, request)), 0, 25, TimeUnit.MILLISECONDS);
        Thread.sleep(3000); // three seconds of twice-capacity load
        ticks.cancel(false);
        List<Clients.Result> rejected = sent.stream().map(CompletableFuture::join).filter(r -> r.status() == 503).toList();
        assertThat(rejected).isNotEmpty().allSatisfy(r -> assertThat(r.code()).isEqualTo("upstream_overloaded"));
    }
}
