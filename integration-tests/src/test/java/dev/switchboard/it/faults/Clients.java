package dev.switchboard.it.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop GET load: {@code threads} clients, each sending up to {@code perThread} requests one
 * after another until a deadline. Every result is kept (status, {@code X-Switchboard-Error} code,
 * latency); a transport error (no HTTP response at all) is status 0 with the exception as its code.
 */
final class Clients implements AutoCloseable {

    /** One request's outcome. */
    record Result(int status, String code, long nanos) {
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;

    static Clients start(URI uri, int threadCount, int perThread, Duration maxTime) {
        Clients c = new Clients();
        long deadline = System.nanoTime() + maxTime.toNanos();
        for (int t = 0; t < threadCount; t++) {
            Thread thread = new Thread(() -> c.loop(uri, perThread, deadline), "faults-client-" + t);
            thread.setDaemon(true);
            c.threads.add(thread);
            thread.start();
        }
        return c;
    }

    private void loop(URI uri, int count, long deadline) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < count && !stop && System.nanoTime() - deadline < 0; i++) {
            results.add(send(client, request));
        }
    }

    static Result send(HttpClient client, HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Result(r.statusCode(), r.headers().firstValue("X-Switchboard-Error").orElse(""), System.nanoTime() - start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(0, e.toString(), System.nanoTime() - start);
        } catch (Exception e) {
            return new Result(0, e.toString(), System.nanoTime() - start);
        }
    }

    /** {@link #send} without a thread per request. */
    static java.util.concurrent.CompletableFuture<Result> sendAsync(HttpClient client, HttpRequest request) {
        long start = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((r, e) -> e != null
                ? new Result(0, e.toString(), System.nanoTime() - start)
                : new Result(r.statusCode(), r.headers().firstValue("X-Switchboard-Error").orElse(""), System.nanoTime() - start));
    }

    /** Stops sending new requests and waits for the clients to finish the one in flight. */
    Clients stopAndAwait() throws InterruptedException {
        stop = true;
        return await();
    }

    /** Waits until every client has sent its count or reached the deadline. */
    Clients await() throws InterruptedException {
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        return this;
    }

    int completed() {
        return results.size();
    }

    List<Result> results() {
        return List.copyOf(results);
    }

    /** Status → count, e.g. {@code {200=812, 503=40}}. */
    Map<Integer, Integer> statuses() {
        Map<Integer, Integer> out = new TreeMap<>();
        results.forEach(r -> out.merge(r.status(), 1, Integer::sum));
        return out;
    }

    /** Results other than 200, summarized for assertion messages. */
    Map<String, Integer> problems() {
        Map<String, Integer> out = new TreeMap<>();
        results.stream().filter(r -> r.status() != 200).forEach(r -> out.merge(r.status() + " " + r.code(), 1, Integer::sum));
        return out;
    }

    /** The {@code q} quantile (0..1) of the latency of results with {@code status}, in milliseconds. */
    static double quantileMillis(List<Result> results, int status, double q) {
        long[] sorted = results.stream().filter(r -> r.status() == status).mapToLong(Result::nanos).sorted().toArray();
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    @Override
    public void close() {
        stop = true;
        threads.forEach(Thread::interrupt);
    }
}
