package dev.switchboard.it;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady concurrent GET load through the router: a few threads, each sending one request after
 * the other, until {@link #close()} or a hard time limit. Every non-200 answer and every exception
 * is an error, kept with its reason.
 */
final class Load implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Map<String, Long> reasons = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    private Load(Router router, String path, int concurrency, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        HttpClient client = router.client();
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(() -> {
                HttpRequest request = HttpRequest.newBuilder(router.uri(path)).timeout(Duration.ofSeconds(5)).build();
                while (running && System.nanoTime() < deadline) {
                    try {
                        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
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
    static Load start(Router router, String path, int concurrency, Duration limit) {
        return new Load(router, path, concurrency, limit);
    }

    private void error(String reason) {
        errors.incrementAndGet();
        reasons.merge(reason.length() > 120 ? reason.substring(0, 120) : reason, 1L, Long::sum);
    }

    long ok() {
        return ok.get();
    }

    long errors() {
        return errors.get();
    }

    /** Error reasons with their counts, for assertion messages. */
    Map<String, Long> reasons() {
        return Map.copyOf(reasons);
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
