package dev.switchboard.router.health;

import dev.switchboard.discovery.InstanceId;
import dev.switchboard.router.config.ServiceConfig.ActiveCheckConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks for one service. Each backend is checked on its own schedule: the first check
 * within a tenth of the interval after it appears, then every interval ±10% (jitter, so checks of
 * many backends do not line up), measured from the end of the previous check. After
 * {@code unhealthyThreshold} failures in a row the backend's {@link BackendHealth.Signal#ACTIVE_CHECK}
 * verdict turns to failing, after {@code healthyThreshold} passes in a row back to passing;
 * {@link BackendHealth} reports each change to {@link HealthEvents}. A check fails on a status other
 * than the expected one, on a connect error or on the timeout.
 *
 * <p>Checks run on a small pool of named daemon threads owned by this object (never on Undertow IO
 * threads), which also bounds how many run at once. {@link #update} follows membership; a backend that
 * is no longer checked (removed, or {@link #close}) has its active-check verdict withdrawn, so that a
 * signal never outlives its source.
 */
public final class ActiveHealthChecker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ActiveHealthChecker.class);

    /** A backend to check: its identity, where to reach it, and the health state to report to. */
    public record Target(InstanceId id, String host, int port, BackendHealth health) {
        public Target {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(health, "health");
        }
    }

    private final String service;
    private final HttpProbe probe;
    private final long intervalNanos;
    private final int healthyThreshold;
    private final int unhealthyThreshold;
    private final RandomGenerator random;
    private final ScheduledThreadPoolExecutor pool;
    private final Map<InstanceId, Check> checks = new HashMap<>(); // guarded by this
    private boolean closed; // guarded by this

    /**
     * @param maxConcurrent most checks running at once (threads in the pool), &ge; 1
     * @param random        jitter source; used under a lock, so any generator will do
     */
    public ActiveHealthChecker(String service, ActiveCheckConfig config, int maxConcurrent, RandomGenerator random) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("activeCheck.path: null (expected: a path, e.g. /health, to enable checks)");
        }
        this.service = Objects.requireNonNull(service, "service");
        this.probe = new HttpProbe(config.method(), config.path(), ExpectedStatus.parse(config.expectedStatus()),
                config.timeout());
        this.intervalNanos = CircuitBreaker.requirePositive("activeCheck.interval", config.interval());
        this.healthyThreshold = CircuitBreaker.requireAtLeast("activeCheck.healthyThreshold", config.healthyThreshold(), 1);
        this.unhealthyThreshold = CircuitBreaker.requireAtLeast("activeCheck.unhealthyThreshold",
                config.unhealthyThreshold(), 1);
        CircuitBreaker.requireAtLeast("maxConcurrent", maxConcurrent, 1);
        this.random = Objects.requireNonNull(random, "random");
        this.pool = new ScheduledThreadPoolExecutor(maxConcurrent, daemonThreads("switchboard-health-" + service));
        pool.setRemoveOnCancelPolicy(true);
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Sets the backends to check. New ones are checked soon; removed ones stop; changed addresses restart. */
    public synchronized void update(List<Target> targets) {
        if (closed) {
            return;
        }
        Map<InstanceId, Target> wanted = new HashMap<>();
        for (Target t : targets) {
            wanted.put(t.id(), t);
        }
        checks.values().removeIf(c -> {
            if (c.target.equals(wanted.get(c.target.id()))) {
                return false;
            }
            c.stop();
            return true;
        });
        for (Target t : wanted.values()) {
            if (!checks.containsKey(t.id())) {
                Check c = new Check(t);
                checks.put(t.id(), c);
                c.scheduleIn(jitter(0, intervalNanos / 10));
            }
        }
    }

    /** Backends currently checked. */
    public synchronized int size() {
        return checks.size();
    }

    /** Stops all checks and the threads; waits briefly for checks in progress. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            checks.values().forEach(Check::stop);
            checks.clear();
        }
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("active checks of {}: threads still busy 5 s after close", service);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long jitter(long low, long high) {
        synchronized (random) {
            return high <= low ? low : low + random.nextLong(high - low + 1);
        }
    }

    /** The checks of one backend. Runs one at a time: each schedules the next when it ends. */
    private final class Check implements Runnable {
        final Target target;
        private boolean stopped; // guarded by this
        private ScheduledFuture<?> next; // guarded by this
        private int passes; // check thread only (one check at a time)
        private int failures; // check thread only
        private boolean healthy;

        Check(Target target) {
            this.target = target;
            this.healthy = target.health().passing(BackendHealth.Signal.ACTIVE_CHECK);
        }

        synchronized void scheduleIn(long delayNanos) {
            if (stopped) {
                return;
            }
            try {
                next = pool.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                stopped = true; // closing
            }
        }

        synchronized void stop() {
            stopped = true;
            if (next != null) {
                next.cancel(false);
            }
            target.health().markHealthy(BackendHealth.Signal.ACTIVE_CHECK, "active checks stopped");
        }

        @Override
        public void run() {
            synchronized (this) {
                if (stopped) {
                    return;
                }
            }
            HttpProbe.Result r = probe.check(target.host(), target.port());
            synchronized (this) {
                if (stopped) {
                    return;
                }
                apply(r);
            }
            long spread = intervalNanos / 10;
            scheduleIn(jitter(intervalNanos - spread, intervalNanos + spread));
        }

        private void apply(HttpProbe.Result r) {
            if (r.passed()) {
                failures = 0;
                passes++;
                if (!healthy && passes >= healthyThreshold) {
                    healthy = true;
                    target.health().markHealthy(BackendHealth.Signal.ACTIVE_CHECK,
                            passes + " checks passed, last " + r.detail());
                }
            } else {
                passes = 0;
                failures++;
                log.debug("active check {}/{} at {}:{} failed: {}", service, target.id(), target.host(),
                        target.port(), r.detail());
                if (healthy && failures >= unhealthyThreshold) {
                    healthy = false;
                    target.health().markUnhealthy(BackendHealth.Signal.ACTIVE_CHECK,
                            failures + " checks failed, last " + r.detail());
                }
            }
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
