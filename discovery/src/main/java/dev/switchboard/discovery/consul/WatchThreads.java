package dev.switchboard.discovery.consul;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running {@link BlockingQueryLoop}s of one discovery, by name, each on its own daemon thread
 * (a blocking query holds its thread for up to the wait time). Stopping a loop takes effect after
 * its request in flight; closing the HTTP connections ends those at once.
 */
final class WatchThreads {

    private record Running(BlockingQueryLoop<?> loop, Thread thread) {
    }

    private final Map<String, Running> loops = new ConcurrentHashMap<>();
    private final List<Thread> stopping = new ArrayList<>();

    void start(String name, BlockingQueryLoop<?> loop) {
        Thread t = new Thread(loop, "switchboard-consul-" + name);
        t.setDaemon(true);
        Running previous = loops.put(name, new Running(loop, t));
        if (previous != null) {
            previous.loop().stop();
        }
        t.start();
    }

    boolean contains(String name) {
        return loops.containsKey(name);
    }

    List<String> names() {
        return new ArrayList<>(loops.keySet());
    }

    /** Watches started and not stopped. */
    int running() {
        return loops.size();
    }

    /** Same as {@link #running()}; reads better where a count of services is meant. */
    int size() {
        return loops.size();
    }

    void stop(String name) {
        Running r = loops.remove(name);
        if (r != null) {
            r.loop().stop();
            synchronized (stopping) {
                stopping.removeIf(t -> !t.isAlive());
                stopping.add(r.thread());
            }
        }
    }

    void stopAll() {
        for (String name : names()) {
            stop(name);
        }
    }

    /** Waits, bounded, for stopped threads to end (their requests are aborted by closing the client). */
    void awaitExit(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        List<Thread> copy;
        synchronized (stopping) {
            copy = new ArrayList<>(stopping);
        }
        for (Thread t : copy) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                t.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
