package dev.switchboard.router.health;

/**
 * One backend's health at a moment, for the admin API. Durations are remaining milliseconds.
 *
 * @param backend                   instance identity, {@code node/serviceId}
 * @param available                 would take a request now (healthy and the circuit admits)
 * @param healthy                   not ejected, active check and discovery passing
 * @param circuit                   {@code closed}, {@code open}, {@code half_open}, or {@code disabled}
 * @param circuitOpenRemainingMillis time until an open circuit turns half-open; 0 otherwise
 * @param circuitConsecutiveFailures failures in a row counted by the breaker
 * @param circuitWindowRequests     requests in the breaker's window
 * @param circuitWindowFailures     failures in the breaker's window
 * @param trialsInFlight            half-open trial requests in flight
 * @param ejected                   ejected by outlier detection now
 * @param ejectionRemainingMillis   time until the ejection ends; 0 when not ejected
 * @param ejectionMultiplier        base ejection times the next or current ejection lasts (after decay)
 * @param ejections                 ejections since the backend appeared
 * @param outlierConsecutiveFailures failures in a row counted by outlier detection
 * @param outlierWindowRequests     requests in the outlier window
 * @param outlierWindowFailures     failures in the outlier window
 * @param activeCheck               {@code off}, {@code passing} or {@code failing: reason}
 * @param discovery                 {@code passing} or {@code failing: reason}
 */
public record HealthSnapshot(
        String backend,
        boolean available,
        boolean healthy,
        String circuit,
        long circuitOpenRemainingMillis,
        int circuitConsecutiveFailures,
        long circuitWindowRequests,
        long circuitWindowFailures,
        int trialsInFlight,
        boolean ejected,
        long ejectionRemainingMillis,
        int ejectionMultiplier,
        long ejections,
        int outlierConsecutiveFailures,
        long outlierWindowRequests,
        long outlierWindowFailures,
        String activeCheck,
        String discovery) {

    static HealthSnapshot of(BackendHealth b, ServiceHealth service, String activeFailure,
            String discoveryFailure, long nowNanos) {
        CircuitBreaker cb = b.circuit();
        OutlierDetector od = b.outlier();
        CircuitBreaker.State state = cb.state(nowNanos);
        long cbSum = cb.windowCounts(nowNanos);
        long odSum = od.windowCounts(nowNanos);
        boolean ejected = od.isEjected(nowNanos);
        return new HealthSnapshot(
                b.id().toString(),
                b.available(nowNanos),
                b.healthy(nowNanos),
                cb.enabled() ? state.label() : "disabled",
                state == CircuitBreaker.State.OPEN ? BackendHealth.remainingMillis(cb.openUntilNanos(), nowNanos) : 0,
                cb.consecutiveFailures(),
                RollingCounter.total(cbSum),
                RollingCounter.failures(cbSum),
                cb.trialsInFlight(),
                ejected,
                ejected ? BackendHealth.remainingMillis(od.ejectedUntilNanos(), nowNanos) : 0,
                od.multiplier(),
                od.ejections(),
                od.consecutiveFailures(),
                RollingCounter.total(odSum),
                RollingCounter.failures(odSum),
                !service.activeChecksEnabled() ? "off" : describe(activeFailure),
                describe(discoveryFailure));
    }

    private static String describe(String failure) {
        return failure == null ? "passing" : "failing: " + failure;
    }
}
