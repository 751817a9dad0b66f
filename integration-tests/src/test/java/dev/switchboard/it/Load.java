package dev.switchboard.it;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady concurrent GET load through the router: a few threads, each sending one request after
 * the other, until {@link #close()} or a hard time limit. Every non-200 answer and every exception
 * is an error, kept with its reason. Each thread records its requests' latencies, readable after
 * {@link #close()}.
 */
public final class Load implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();
    private final List<List<Long>> latencies = new ArrayList<>();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Map<String, Long> reasons = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    private Load(Router router, String path, int concurrency, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        HttpClient client = router.client();
        for (int i = 0; i < concurrency; i++) {
            List<Long> nanos = new ArrayList<>();
            latencies.add(nanos);
            Thread t = new Thread(() -> {
                HttpRequest request = HttpRequest.newBuilder(router.uri(path)).timeout(Duration.ofSeconds(5)).build();
                while (running && System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                        nanos.add(System.nanoTime() - t0);
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            error("HTTP " + r.statusCode() + " " + r.body());
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        error(e.toString());
                    }
                }
            }, "load-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /** Starts {@code concurrency} threads against {@code path}; they stop by themselves after {@code limit}. */
    public static Load start(Router router, String path, int concurrency, Duration limit) {
        return new Load(router, path, concurrency, limit);
    }

    private void error(String reason) {
        errors.incrementAndGet();
        reasons.merge(reason.length() > 120 ? reason.substring(0, 120) : reason, 1L, Long::sum);
    }

    public long ok() {
        return ok.get();
    }

    public long errors() {
        return errors.get();
    }

    /** Error reasons with their counts, for assertion messages. */
    public Map<String, Long> reasons() {
        return Map.copyOf(reasons);
    }

    /**
     * The {@code q} quantile (0..1, nearest rank) of the latencies of the requests that got an
     * answer, in milliseconds; call after {@link #close()}. 0 without any.
     */
    public double latencyMillis(double q) {
        List<Long> all = new ArrayList<>();
        latencies.forEach(all::addAll);
        if (all.isEmpty()) {
            return 0;
        }
        Collections.sort(all);
        int rank = (int) Math.ceil(q * all.size());
        return all.get(Math.min(all.size() - 1, Math.max(0, rank - 1))) / 1e6;
    }

    /** One line for a report: requests, errors and latency p50 / p99 / max; call after {@link #close()}. */
    public String summary() {
        return String.format("%d requests, %d errors, latency p50 %.1f ms p99 %.1f ms max %.1f ms",
                ok() + errors(), errors(), latencyMillis(0.5), latencyMillis(0.99), latencyMillis(1.0));
    }

    /** Stops the threads and waits for them. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(10_000);
        }
    }
}
