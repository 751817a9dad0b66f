package dev.switchboard.router.resilience;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady concurrent GET load through the router, bounded by a request count per thread and by a
 * deadline. Records every response's status, the backend that answered ({@code X-Backend}) and the
 * slowest latency. A transport error (no HTTP response at all) counts as status 0.
 */
final class Load implements AutoCloseable {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger completed = new AtomicInteger();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byBackend = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicLong maxLatencyNanos = new AtomicLong();

    /**
     * Starts {@code threads} clients, each sending up to {@code perThread} GETs to {@code uri} one after
     * another, stopping early at {@code maxTime}.
     */
    static Load start(URI uri, int threadCount, int perThread, Duration maxTime) {
        Load load = new Load();
        long deadline = System.nanoTime() + maxTime.toNanos();
        for (int t = 0; t < threadCount; t++) {
            Thread thread = new Thread(() -> load.loop(uri, perThread, deadline), "load-" + t);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void loop(URI uri, int count, long deadline) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < count && System.nanoTime() - deadline < 0; i++) {
            long start = System.nanoTime();
            int status;
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                status = r.statusCode();
                r.headers().firstValue("X-Backend").ifPresent(b -> byBackend.computeIfAbsent(b, k -> new AtomicInteger()).incrementAndGet());
                if (status != 200) {
                    problems.add(status + " " + r.headers().firstValue("X-Switchboard-Error").orElse("") + " " + r.body().strip());
                }
            } catch (Exception e) {
                status = 0;
                problems.add(e.toString());
            }
            maxLatencyNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
            completed.incrementAndGet();
        }
    }

    int completed() {
        return completed.get();
    }

    /** Waits for every client thread to finish (their count or the deadline). */
    Load await() throws InterruptedException {
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        return this;
    }

    int count(int status) {
        AtomicInteger n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    int servedBy(String backend) {
        AtomicInteger n = byBackend.get(backend);
        return n == null ? 0 : n.get();
    }

    Map<Integer, Integer> statuses() {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        statuses.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    Duration maxLatency() {
        return Duration.ofNanos(maxLatencyNanos.get());
    }

    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
    }
}
