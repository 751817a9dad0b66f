package dev.switchboard.router.health;

import dev.switchboard.discovery.InstanceId;
import dev.switchboard.router.config.ServiceConfig;
import dev.switchboard.router.config.ServiceConfig.OutlierConfig;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Health policy of one service: creates a {@link BackendHealth} per member and keeps the counts that
 * service-wide rules need, so that request-time questions are O(1).
 *
 * <ul>
 *   <li>{@code max_ejection_percent}: at most {@code max(1, members × percent / 100)} backends are
 *       ejected at once (Envoy always allows the first; 0 disables ejection). A refused ejection is
 *       reported through {@link HealthEvents#ejectionSkipped}.</li>
 *   <li>Panic: when fewer than {@code panic_threshold} percent of the members are healthy (not
 *       ejected, active check and discovery passing, circuit closed), {@link #inPanic} is true and the
 *       proxy routes to all backends, open circuits included ({@link BackendHealth#admitsInPanic}).
 *       Entering and leaving panic are reported once each. An open circuit takes no ejection slot:
 *       {@code max_ejection_percent} limits outlier detection only, and panic is what keeps circuits
 *       that open on the rest from turning the whole service away.</li>
 * </ul>
 *
 * <p>Ejections end lazily: a backend returns when someone looks at it after its time is up. So that
 * the counts do not keep an expired ejection alive when nobody looks, {@link #inPanic} sweeps the
 * members when the earliest known ejection end has passed (rare, O(members)).
 */
public final class ServiceHealth {

    private static final long NONE = Long.MIN_VALUE;

    private final String service;
    private final ServiceConfig config;
    private final HealthEvents events;
    private final int maxEjectionPercent;
    private final int panicThreshold;
    private final boolean[] failureStatus = new boolean[600];
    private final Set<BackendHealth> members = ConcurrentHashMap.newKeySet();
    private final AtomicInteger memberCount = new AtomicInteger();
    private final AtomicInteger ejectedCount = new AtomicInteger();
    private final AtomicInteger unhealthyCount = new AtomicInteger();
    private final AtomicLong nextEjectionEnd = new AtomicLong(NONE);
    private final AtomicBoolean panicReported = new AtomicBoolean();

    public ServiceHealth(String service, ServiceConfig config, HealthEvents events) {
        this.service = Objects.requireNonNull(service, "service");
        this.config = Objects.requireNonNull(config, "config");
        this.events = Objects.requireNonNull(events, "events");
        OutlierConfig outlier = config.outlier();
        this.maxEjectionPercent = percent("outlier.maxEjectionPercent", outlier.maxEjectionPercent());
        this.panicThreshold = percent("outlier.panicThreshold", outlier.panicThreshold());
        for (int status : outlier.failureStatuses()) {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("outlier.failureStatuses: " + status + " (expected: 100..599)");
            }
            failureStatus[status] = true;
        }
        OutlierDetector.validate(outlier); // fail at configuration time, not when the first member joins
        CircuitBreaker.validate(config.circuit());
    }

    public String service() {
        return service;
    }

    /** Creates the health state of a new member. Call once per backend when it joins the service. */
    public BackendHealth join(InstanceId id) {
        BackendHealth b = new BackendHealth(this, id, config.circuit(), new OutlierDetector(config.outlier()));
        memberCount.incrementAndGet();
        members.add(b);
        refreshPanic();
        return b;
    }

    /** Removes a member that left the service; its ejection and health no longer count. */
    public void leave(BackendHealth backend) {
        if (backend.detach()) {
            members.remove(backend);
            memberCount.decrementAndGet();
            refreshPanic();
        }
    }

    /** {@link Outcome#GATEWAY_STATUS} for a configured failure status, else {@link Outcome#SUCCESS}. */
    public Outcome classify(int status) {
        return status >= 0 && status < failureStatus.length && failureStatus[status]
                ? Outcome.GATEWAY_STATUS : Outcome.SUCCESS;
    }

    /** Whether the service routes to all backends now because too few are healthy. O(1) but for rare sweeps. */
    public boolean inPanic(long nowNanos) {
        long next = nextEjectionEnd.get();
        if (next != NONE && nowNanos - next >= 0) {
            sweep(nowNanos);
        }
        return refreshPanic();
    }

    public int members() {
        return memberCount.get();
    }

    /** Members currently ejected (including ones whose time is up but that nobody looked at yet). */
    public int ejected() {
        return ejectedCount.get();
    }

    /** Members not ejected, passing active checks and discovery health, and with a closed circuit. */
    public int healthy() {
        return memberCount.get() - unhealthyCount.get();
    }

    public boolean activeChecksEnabled() {
        return config.activeCheck().enabled();
    }

    HealthEvents events() {
        return events;
    }

    /**
     * Takes one ejection slot if {@code max_ejection_percent} allows it. Returns -1 on success, else
     * the number of backends ejected now (for the skip report).
     */
    int tryReserveEjection() {
        for (;;) {
            int ejected = ejectedCount.get();
            int total = memberCount.get();
            boolean allowed = maxEjectionPercent > 0
                    && (ejected == 0 || (long) (ejected + 1) * 100 <= (long) maxEjectionPercent * total);
            if (!allowed) {
                return ejected;
            }
            if (ejectedCount.compareAndSet(ejected, ejected + 1)) {
                return -1;
            }
        }
    }

    int maxEjectionPercent() {
        return maxEjectionPercent;
    }

    void ejectionEnded() {
        ejectedCount.decrementAndGet();
    }

    void ejectionScheduled(long untilNanos) {
        nextEjectionEnd.accumulateAndGet(untilNanos, ServiceHealth::earlier);
    }

    /** A member's combined health changed: +1 when it became unhealthy, -1 when it recovered. */
    void unhealthyDelta(int delta) {
        unhealthyCount.addAndGet(delta);
    }

    private void sweep(long nowNanos) {
        nextEjectionEnd.set(NONE);
        long earliest = NONE;
        for (BackendHealth b : members) {
            b.returnIfOver(nowNanos);
            OutlierDetector o = b.outlier();
            if (o.ejectedFlag()) {
                earliest = earlier(earliest, o.ejectedUntilNanos());
            }
        }
        if (earliest != NONE) {
            ejectionScheduled(earliest);
        }
    }

    /** Recomputes panic from the counts and reports a change once. Called after every count change. */
    boolean refreshPanic() {
        int total = memberCount.get();
        int healthy = total - unhealthyCount.get();
        boolean panic = total > 0 && (long) healthy * 100 < (long) panicThreshold * total;
        boolean was = panicReported.get();
        if (was != panic && panicReported.compareAndSet(was, panic)) {
            events.panicChanged(service, panic, healthy, total);
        }
        return panic;
    }

    private static long earlier(long a, long b) {
        if (a == NONE) {
            return b;
        }
        if (b == NONE) {
            return a;
        }
        return a - b <= 0 ? a : b;
    }

    private static int percent(String field, int value) {
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: 0..100)");
        }
        return value;
    }
}
