package dev.switchboard.router.health;

import dev.switchboard.discovery.InstanceId;
import dev.switchboard.router.config.ServiceConfig.CircuitConfig;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Everything that decides whether one backend takes traffic: its circuit breaker, its outlier
 * ejection state, and the verdicts of active checks and of the discovery source (Consul health).
 * Created by {@link ServiceHealth#join}; the live backend object owns one for as long as the instance
 * is a member. Independent of Undertow.
 *
 * <p><b>Per attempt</b>, from any IO thread, without allocating:
 * <ol>
 *   <li>{@link #available} (or {@link #admitsInPanic} in panic) while choosing; read-only but for
 *       lazily ending an expired ejection;</li>
 *   <li>{@link #tryAcquire} for the chosen backend, which may still refuse (a half-open circuit
 *       admits a limited number of trials) unless in panic; keep the permit with the attempt;</li>
 *   <li>exactly one of {@link #record} (with the attempt's {@link Outcome}) or {@link #release}.</li>
 * </ol>
 *
 * <p><b>Health transitions</b> (ejection, return, active check or discovery verdict changes) are rare
 * and made under this object's lock, which keeps the service's counts exact; each is reported once
 * to {@link HealthEvents}, after the lock is released.
 *
 * <p><b>The circuit and the service's counts.</b> The circuit is not a health signal ({@link #healthy}
 * ignores it, and it never takes an ejection slot), but a backend whose circuit is not closed takes no
 * ordinary traffic, so for the service's healthy count and panic threshold it counts as unhealthy.
 * Otherwise circuits opening on the backends that {@code max_ejection_percent} kept in would turn a
 * whole service away while it still reported itself healthy. In panic, circuits are passed over like
 * health ({@link #admitsInPanic}, {@link #tryAcquire(long, boolean)}).
 */
public final class BackendHealth {

    /** Health inputs besides passive outlier detection. */
    public enum Signal {
        /** {@link ActiveHealthChecker}. */
        ACTIVE_CHECK,
        /** The discovery source, e.g. Consul's health checks. */
        DISCOVERY;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** Returned by {@link #tryAcquire} when the circuit does not admit the attempt. */
    public static final long REJECTED = CircuitBreaker.REJECTED;

    /** At most one "not ejecting" report per backend per interval (the retry budget's is the same). */
    private static final long SKIP_REPORT_INTERVAL_NANOS = 10_000_000_000L;

    private final ServiceHealth service;
    private final InstanceId id;
    private final CircuitBreaker breaker;
    private final OutlierDetector outlier;
    private volatile String activeFailure;
    private volatile String discoveryFailure;
    /** Skipped ejections not yet reported, and when the last report went out (guarded by this). */
    private int skipsUnreported;
    private long lastSkipReportNanos;
    private boolean skipReported;
    private boolean detached; // guarded by this
    private boolean circuitNotClosed; // guarded by this
    private long circuitGeneration; // guarded by this: the last circuit transition counted

    BackendHealth(ServiceHealth service, InstanceId id, CircuitConfig circuit, OutlierDetector outlier) {
        this.service = service;
        this.id = id;
        // The breaker calls back only on a transition, which needs a request and so a published object.
        this.breaker = new CircuitBreaker(service.service(), id, circuit, service.events(), this::circuitChanged);
        this.outlier = outlier;
    }

    public InstanceId id() {
        return id;
    }

    /** Healthy (see {@link #healthy}) and the circuit admits a request. */
    public boolean available(long nowNanos) {
        return healthy(nowNanos) && breaker.admits(nowNanos);
    }

    /**
     * In panic mode health and the circuit are both ignored, as Envoy's panic mode ignores health: a
     * circuit-open backend counts against the panic threshold, so panic must be able to reach it.
     */
    public boolean admitsInPanic(long nowNanos) {
        return true;
    }

    /** Not ejected, and neither active checks nor discovery say it fails. */
    public boolean healthy(long nowNanos) {
        if (outlier.ejectedFlag()) {
            if (!outlier.ejectionOver(nowNanos)) {
                return false;
            }
            returnIfOver(nowNanos);
        }
        return activeFailure == null && discoveryFailure == null;
    }

    /** Admits an attempt: a permit to pass to {@link #record} or {@link #release}, or {@link #REJECTED}. */
    public long tryAcquire(long nowNanos) {
        return breaker.tryAcquire(nowNanos);
    }

    /**
     * As {@link #tryAcquire(long)}, but in panic never {@link #REJECTED}: when the circuit refuses,
     * a {@link CircuitBreaker#BYPASS} permit that the circuit ignores (its trials still decide it).
     */
    public long tryAcquire(long nowNanos, boolean panic) {
        long permit = breaker.tryAcquire(nowNanos);
        return permit == REJECTED && panic ? CircuitBreaker.BYPASS : permit;
    }

    /** Counts the outcome of an attempt admitted with {@code permit}. */
    public void record(long permit, Outcome outcome, long nowNanos) {
        breaker.onResult(permit, outcome, nowNanos);
        String reason = outlier.record(outcome, nowNanos);
        if (reason != null) {
            eject(nowNanos, reason);
        }
    }

    /** Returns a permit whose attempt ended without an outcome. */
    public void release(long permit) {
        breaker.release(permit);
    }

    /** A health signal says this backend fails. Repeated calls keep the first reason and report nothing. */
    public void markUnhealthy(Signal signal, String reason) {
        setSignal(signal, reason == null || reason.isEmpty() ? "unhealthy" : reason);
    }

    /** A health signal says this backend passes; {@code reason} says why, for the report. */
    public void markHealthy(Signal signal, String reason) {
        setSignal(signal, null, reason);
    }

    /** Whether {@code signal} currently says this backend passes. */
    public boolean passing(Signal signal) {
        return (signal == Signal.ACTIVE_CHECK ? activeFailure : discoveryFailure) == null;
    }

    public CircuitBreaker circuit() {
        return breaker;
    }

    public OutlierDetector outlier() {
        return outlier;
    }

    /** Point-in-time view for the admin API. */
    public HealthSnapshot snapshot(long nowNanos) {
        return HealthSnapshot.of(this, service, activeFailure, discoveryFailure, nowNanos);
    }

    private void setSignal(Signal signal, String failure) {
        setSignal(signal, failure, failure);
    }

    private void setSignal(Signal signal, String failure, String reason) {
        synchronized (this) {
            String current = signal == Signal.ACTIVE_CHECK ? activeFailure : discoveryFailure;
            if ((current == null) == (failure == null)) {
                return;
            }
            boolean wasHealthy = healthyLocked();
            if (signal == Signal.ACTIVE_CHECK) {
                activeFailure = failure;
            } else {
                discoveryFailure = failure;
            }
            countHealthChange(wasHealthy);
        }
        service.refreshPanic();
        service.events().signalChanged(service.service(), id, signal, failure == null, reason);
    }

    private void eject(long nowNanos, String reason) {
        long duration;
        int skippedWithEjected;
        int skips = 0;
        synchronized (this) {
            if (detached || outlier.ejectedFlag()) {
                return;
            }
            skippedWithEjected = service.tryReserveEjection();
            if (skippedWithEjected >= 0) {
                outlier.resetCounts();
                duration = -1;
                // A failing backend that may not be ejected fails again every few requests: report
                // the first refusal, then at most one line per interval with the count since.
                skipsUnreported++;
                if (!skipReported || nowNanos - lastSkipReportNanos >= SKIP_REPORT_INTERVAL_NANOS) {
                    skips = skipsUnreported;
                    skipsUnreported = 0;
                    skipReported = true;
                    lastSkipReportNanos = nowNanos;
                }
            } else {
                boolean wasHealthy = healthyLocked();
                duration = outlier.eject(nowNanos);
                service.ejectionScheduled(nowNanos + duration);
                countHealthChange(wasHealthy);
            }
        }
        service.refreshPanic();
        HealthEvents events = service.events();
        if (duration < 0) {
            if (skips > 0) {
                events.ejectionSkipped(service.service(), id, reason + "; max_ejection_percent "
                        + service.maxEjectionPercent() + " reached with " + skippedWithEjected + " of "
                        + service.members() + " ejected" + (skips > 1 ? " (" + skips + " times since the last report)" : ""));
            }
        } else {
            events.ejected(service.service(), id, duration, outlier.multiplier(), reason);
        }
    }

    /** Ends the ejection if its time is up. Idempotent. */
    void returnIfOver(long nowNanos) {
        synchronized (this) {
            if (!outlier.ejectionOver(nowNanos)) {
                return;
            }
            boolean wasHealthy = healthyLocked();
            outlier.markReturned(nowNanos);
            if (!detached) {
                service.ejectionEnded();
            }
            countHealthChange(wasHealthy);
        }
        service.refreshPanic();
        service.events().returned(service.service(), id);
    }

    /** Counts a circuit transition into the service's health; transitions may arrive out of order. */
    private void circuitChanged(long generation, CircuitBreaker.State to) {
        synchronized (this) {
            if (generation <= circuitGeneration) {
                return; // a later transition was counted already
            }
            circuitGeneration = generation;
            boolean wasHealthy = healthyLocked();
            circuitNotClosed = to != CircuitBreaker.State.CLOSED;
            countHealthChange(wasHealthy);
        }
        service.refreshPanic();
    }

    /** Stops counting towards the service. Returns false if already detached. */
    boolean detach() {
        synchronized (this) {
            if (detached) {
                return false;
            }
            if (outlier.ejectedFlag()) {
                service.ejectionEnded();
            }
            if (!healthyLocked()) {
                service.unhealthyDelta(-1);
            }
            detached = true;
            return true;
        }
    }

    /** Healthy as the service counts it: {@link #healthy}, and the circuit closed. */
    private boolean healthyLocked() {
        return !outlier.ejectedFlag() && activeFailure == null && discoveryFailure == null && !circuitNotClosed;
    }

    private void countHealthChange(boolean wasHealthy) {
        boolean healthy = healthyLocked();
        if (!detached && healthy != wasHealthy) {
            service.unhealthyDelta(healthy ? -1 : 1);
        }
    }

    /** Remaining nanos to millis, never negative. */
    static long remainingMillis(long untilNanos, long nowNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(untilNanos - nowNanos));
    }

    @Override
    public String toString() {
        return service.service() + "/" + id;
    }
}
