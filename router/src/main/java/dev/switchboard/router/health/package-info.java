/**
 * Backend health: passive outlier ejection, circuit breaking, active checks, retry budget and backoff.
 *
 * <p>Start with {@link dev.switchboard.router.health.BackendHealth}: the one object per backend that
 * answers "may this backend take a request now?" by combining its
 * {@link dev.switchboard.router.health.CircuitBreaker}, its
 * {@link dev.switchboard.router.health.OutlierDetector} ejection state, and the verdicts of
 * {@link dev.switchboard.router.health.ActiveHealthChecker} and of the discovery source. Its javadoc
 * gives the per-attempt protocol (available → tryAcquire → record/release) the proxy follows.
 * {@link dev.switchboard.router.health.ServiceHealth} creates them and holds the service-wide rules
 * ({@code max_ejection_percent}, panic mode) as atomic counts, so request-time questions are O(1).
 *
 * <p>Attempt outcomes are classified once by the proxy as an {@link dev.switchboard.router.health.Outcome};
 * {@code LOCAL_REJECT} never counts. Windows are {@link dev.switchboard.router.health.RollingCounter}s
 * (lock-free, allocation-free). Retries are limited by {@link dev.switchboard.router.health.RetryBudget}
 * and spaced by {@link dev.switchboard.router.health.Backoff}. Transitions go to
 * {@link dev.switchboard.router.health.HealthEvents} exactly once each;
 * {@link dev.switchboard.router.health.LoggingHealthEvents} logs them.
 *
 * <p>Everything takes time as monotonic nanoseconds from the caller (an injected clock) and randomness
 * as an argument; nothing here starts a thread except the active checker's small daemon pool, and
 * nothing depends on Undertow.
 */
package dev.switchboard.router.health;
