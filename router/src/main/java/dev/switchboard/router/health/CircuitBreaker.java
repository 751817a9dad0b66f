package dev.switchboard.router.health;

import dev.switchboard.discovery.InstanceId;
import dev.switchboard.router.config.ServiceConfig.CircuitConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One backend's circuit breaker: {@code CLOSED} until too many failures (in a row, or as a ratio over
 * the window once {@code minRequests} were seen), then {@code OPEN} for {@code openDuration}, then
 * {@code HALF_OPEN}, which admits {@code halfOpenRequests} trial requests: a trial that succeeds keeps
 * its place, one that ends without an outcome ({@link #release}, {@link Outcome#LOCAL_REJECT}) frees it
 * for another, so never more than that many are in flight. When that many trials have succeeded the
 * circuit closes; any trial failure opens it again for a full duration.
 *
 * <p><b>Permits.</b> {@link #tryAcquire} returns a permit that names the phase the request was
 * admitted in; {@link #onResult} or {@link #release} must be called exactly once with it. Results of
 * requests admitted in an earlier phase are ignored, so a slow request sent before the circuit opened
 * cannot close it, reopen it, or free a trial permit it never held.
 *
 * <p><b>Concurrency.</b> The phase is an immutable object in an {@link AtomicReference}; a transition
 * is a CAS that allocates one phase object (rare), and only its winner tells the owner ({@link BackendHealth},
 * which counts a circuit that is not closed against the panic threshold) and reports it to
 * {@link HealthEvents}. Admitting and counting in the closed state reads one reference and touches
 * atomics only; nothing allocates per request. {@code OPEN -> HALF_OPEN} happens lazily when a
 * request or {@link #state} looks at the circuit after the open duration.
 */
public final class CircuitBreaker {

    /** Circuit states. */
    public enum State {
        CLOSED, OPEN, HALF_OPEN;

        /** Lower-case name for the admin API and logs. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Returned by {@link #tryAcquire} when the circuit does not admit the request. */
    public static final long REJECTED = -1L;

    /**
     * A permit the circuit did not grant (panic mode sends past it): {@link #onResult} and
     * {@link #release} ignore it, so such a request neither closes, reopens nor counts into the circuit.
     */
    public static final long BYPASS = Long.MIN_VALUE;

    /** Told of every transition by the thread that made it, before it is reported to {@link HealthEvents}. */
    @FunctionalInterface
    interface TransitionListener {
        /** The circuit entered {@code to}; {@code generation} orders transitions (calls may race). */
        void changed(long generation, State to);
    }

    private static final class Phase {
        final State state;
        final long generation;
        final long openUntil;
        /** Trial places taken, by trials in flight and by ones that succeeded; never above {@code halfOpenRequests}. */
        final AtomicInteger trials = new AtomicInteger();
        final AtomicInteger trialSuccesses = new AtomicInteger();

        Phase(State state, long generation, long openUntil) {
            this.state = state;
            this.generation = generation;
            this.openUntil = openUntil;
        }
    }

    private final String service;
    private final InstanceId backend;
    private final HealthEvents events;
    private final boolean enabled;
    private final int consecutiveThreshold;
    private final double failureRatio;
    private final int minRequests;
    private final long openNanos;
    private final int halfOpenRequests;
    private final RollingCounter window;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicReference<Phase> phase = new AtomicReference<>(new Phase(State.CLOSED, 0, 0));
    private final TransitionListener listener;

    public CircuitBreaker(String service, InstanceId backend, CircuitConfig config, HealthEvents events) {
        this(service, backend, config, events, (generation, to) -> { });
    }

    CircuitBreaker(String service, InstanceId backend, CircuitConfig config, HealthEvents events,
            TransitionListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.service = Objects.requireNonNull(service, "service");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.events = Objects.requireNonNull(events, "events");
        validate(config);
        this.enabled = config.enabled();
        this.consecutiveThreshold = config.consecutiveFailures();
        this.minRequests = config.minRequests();
        this.halfOpenRequests = config.halfOpenRequests();
        this.failureRatio = config.failureRatio();
        this.openNanos = config.openDuration().toNanos();
        this.window = new RollingCounter(config.window(), 10);
    }

    /** Checks the settings; messages name the field, the value and what was expected. */
    public static void validate(CircuitConfig config) {
        requireAtLeast("circuit.consecutiveFailures", config.consecutiveFailures(), 0);
        requireAtLeast("circuit.minRequests", config.minRequests(), 1);
        requireAtLeast("circuit.halfOpenRequests", config.halfOpenRequests(), 1);
        if (!(config.failureRatio() >= 0 && config.failureRatio() <= 1)) {
            throw new IllegalArgumentException("circuit.failureRatio: " + config.failureRatio() + " (expected: 0..1)");
        }
        requirePositive("circuit.openDuration", config.openDuration());
        requirePositive("circuit.window", config.window());
    }

    /** Whether a permit names a half-open trial. */
    public static boolean isTrial(long permit) {
        return permit >= 0 && (permit & 1L) == 1L;
    }

    /**
     * Whether {@link #tryAcquire} would admit a request now, without taking a permit or changing
     * state. Selectors use this to skip backends; the answer can change before the acquire.
     */
    public boolean admits(long nowNanos) {
        if (!enabled) {
            return true;
        }
        Phase p = phase.get();
        return switch (p.state) {
            case CLOSED -> true;
            case OPEN -> nowNanos - p.openUntil >= 0;
            case HALF_OPEN -> p.trials.get() < halfOpenRequests;
        };
    }

    /** Admits a request and returns its permit, or {@link #REJECTED}. */
    public long tryAcquire(long nowNanos) {
        if (!enabled) {
            return 0L;
        }
        for (;;) {
            Phase p = phase.get();
            switch (p.state) {
                case CLOSED:
                    return p.generation << 1;
                case OPEN:
                    if (nowNanos - p.openUntil < 0) {
                        return REJECTED;
                    }
                    toHalfOpen(p);
                    continue;
                default: // HALF_OPEN
                    int held = p.trials.get();
                    if (held >= halfOpenRequests) {
                        return REJECTED;
                    }
                    if (p.trials.compareAndSet(held, held + 1)) {
                        return (p.generation << 1) | 1L;
                    }
            }
        }
    }

    /** Counts the outcome of an admitted request. {@link Outcome#LOCAL_REJECT} only returns the permit. */
    public void onResult(long permit, Outcome outcome, long nowNanos) {
        if (!enabled || permit < 0) {
            return;
        }
        if (!outcome.counts()) {
            release(permit);
            return;
        }
        Phase p = phase.get();
        if (p.generation != permit >>> 1) {
            return; // admitted in an earlier phase
        }
        if (p.state == State.CLOSED) {
            onClosedResult(p, outcome, nowNanos);
        } else if (p.state == State.HALF_OPEN) {
            if (outcome == Outcome.SUCCESS) {
                if (p.trialSuccesses.incrementAndGet() >= halfOpenRequests) {
                    close(p, halfOpenRequests + " trial requests succeeded");
                }
            } else {
                open(p, nowNanos, "trial request failed: " + outcome);
            }
        }
    }

    /** Returns a permit whose request ended without an outcome (cancelled before it was sent). */
    public void release(long permit) {
        if (!isTrial(permit)) {
            return;
        }
        Phase p = phase.get();
        if (p.generation == permit >>> 1 && p.state == State.HALF_OPEN) {
            p.trials.decrementAndGet();
        }
    }

    /** The state at {@code nowNanos}; an open circuit whose time is up becomes half-open here. */
    public State state(long nowNanos) {
        if (!enabled) {
            return State.CLOSED;
        }
        Phase p = phase.get();
        if (p.state == State.OPEN && nowNanos - p.openUntil >= 0) {
            toHalfOpen(p);
            p = phase.get();
        }
        return p.state;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Failures in a row while closed. */
    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** Packed window counts while closed; see {@link RollingCounter#sum}. */
    public long windowCounts(long nowNanos) {
        return window.sum(nowNanos);
    }

    /** Trials admitted and not finished yet (0 unless half-open). */
    public int trialsInFlight() {
        Phase p = phase.get();
        return p.state == State.HALF_OPEN ? Math.max(0, p.trials.get() - p.trialSuccesses.get()) : 0;
    }

    /** When an open circuit turns half-open; meaningful only while {@link State#OPEN}. */
    public long openUntilNanos() {
        return phase.get().openUntil;
    }

    /** Number of state transitions so far; each was reported once. */
    public long transitions() {
        return phase.get().generation;
    }

    private void onClosedResult(Phase p, Outcome outcome, long nowNanos) {
        if (outcome == Outcome.SUCCESS) {
            if (consecutiveFailures.get() != 0) {
                consecutiveFailures.set(0);
            }
            window.recordSuccess(nowNanos);
            return;
        }
        int inARow = consecutiveFailures.incrementAndGet();
        window.recordFailure(nowNanos);
        if (consecutiveThreshold > 0 && inARow >= consecutiveThreshold) {
            open(p, nowNanos, inARow + " failures in a row, last " + outcome);
            return;
        }
        if (failureRatio > 0) {
            long sum = window.sum(nowNanos);
            long total = RollingCounter.total(sum);
            long failures = RollingCounter.failures(sum);
            if (total >= minRequests && failures >= failureRatio * total) {
                open(p, nowNanos, String.format(Locale.ROOT, "failure ratio %.2f over %d requests (threshold %.2f)",
                        (double) failures / total, total, failureRatio));
            }
        }
    }

    private void open(Phase from, long nowNanos, String reason) {
        if (phase.compareAndSet(from, new Phase(State.OPEN, from.generation + 1, nowNanos + openNanos))) {
            consecutiveFailures.set(0);
            listener.changed(from.generation + 1, State.OPEN);
            events.circuitChanged(service, backend, from.state, State.OPEN, reason);
        }
    }

    private void toHalfOpen(Phase from) {
        if (phase.compareAndSet(from, new Phase(State.HALF_OPEN, from.generation + 1, from.openUntil))) {
            listener.changed(from.generation + 1, State.HALF_OPEN);
            events.circuitChanged(service, backend, State.OPEN, State.HALF_OPEN,
                    "open for " + openNanos / 1_000_000 + " ms");
        }
    }

    private void close(Phase from, String reason) {
        // Nothing counts into the window while half-open, so clearing it first loses nothing new.
        window.reset();
        consecutiveFailures.set(0);
        if (phase.compareAndSet(from, new Phase(State.CLOSED, from.generation + 1, 0))) {
            listener.changed(from.generation + 1, State.CLOSED);
            events.circuitChanged(service, backend, State.HALF_OPEN, State.CLOSED, reason);
        }
    }

    static long requirePositive(String field, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
        }
        return value.toNanos();
    }

    static int requireAtLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: >= " + min + ")");
        }
        return value;
    }
}
