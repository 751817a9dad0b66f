package dev.switchboard.router.config;

import java.time.Duration;
import java.util.List;

/**
 * A service: its backends (static instances here, or the Consul service of the same name) and how
 * traffic to them is balanced and protected.
 *
 * @param strategy      load-balancing strategy name (default {@code round_robin}); see {@code Strategies}
 * @param hashKey       key for {@code ring_hash} and {@code maglev}
 * @param sticky        cookie settings for {@code sticky}
 * @param instances     static backends; empty when the service comes from Consul
 * @param slowStart     a new backend's weight ramps up over this window (0 = off)
 * @param timeouts      overrides of {@code upstream.timeouts}
 * @param outlier       passive health (outlier ejection)
 * @param activeCheck   active health checks (off unless a path is set)
 * @param circuit       per-backend circuit breaker
 * @param retry         retry policy and budget
 * @param maxInFlightPerBackend most concurrent requests per backend; beyond, the backend is skipped (0 = unlimited)
 */
public record ServiceConfig(
        String strategy,
        HashKeyConfig hashKey,
        StickyConfig sticky,
        List<InstanceConfig> instances,
        Duration slowStart,
        TimeoutsConfig timeouts,
        OutlierConfig outlier,
        ActiveCheckConfig activeCheck,
        CircuitConfig circuit,
        RetryConfig retry,
        Integer maxInFlightPerBackend) {

    public static final ServiceConfig DEFAULT =
            new ServiceConfig(null, null, null, null, null, null, null, null, null, null, null);

    public ServiceConfig {
        strategy = strategy != null ? strategy : "round_robin";
        hashKey = hashKey != null ? hashKey : HashKeyConfig.DEFAULT;
        sticky = sticky != null ? sticky : StickyConfig.DEFAULT;
        instances = instances != null ? List.copyOf(instances) : List.of();
        slowStart = slowStart != null ? slowStart : Duration.ZERO;
        timeouts = timeouts != null ? timeouts : TimeoutsConfig.INHERIT;
        outlier = outlier != null ? outlier : OutlierConfig.DEFAULT;
        activeCheck = activeCheck != null ? activeCheck : ActiveCheckConfig.DEFAULT;
        circuit = circuit != null ? circuit : CircuitConfig.DEFAULT;
        retry = retry != null ? retry : RetryConfig.DEFAULT;
        maxInFlightPerBackend = maxInFlightPerBackend != null ? maxInFlightPerBackend : 0;
    }

    /**
     * Hash key for consistent hashing.
     *
     * @param source {@code client_ip} (default), {@code header}, {@code cookie} or {@code path}
     * @param name   header or cookie name, for those sources
     */
    public record HashKeyConfig(String source, String name) {
        public static final HashKeyConfig DEFAULT = new HashKeyConfig(null, null);

        public HashKeyConfig {
            source = source != null ? source : "client_ip";
        }
    }

    /**
     * Sticky sessions.
     *
     * @param cookie   cookie name (default {@code SWITCHBOARD_STICKY})
     * @param fallback strategy used to pick when there is no valid cookie (default {@code round_robin})
     * @param maxAge   cookie max-age; null for a session cookie
     */
    public record StickyConfig(String cookie, String fallback, Duration maxAge) {
        public static final StickyConfig DEFAULT = new StickyConfig(null, null, null);

        public StickyConfig {
            cookie = cookie != null ? cookie : "SWITCHBOARD_STICKY";
            fallback = fallback != null ? fallback : "round_robin";
        }
    }

    /**
     * Passive health: eject a backend on consecutive failures or a high error rate.
     *
     * @param consecutiveFailures  connect failures, resets or gateway statuses in a row that eject (default 5; 0 = off)
     * @param failureStatuses      response statuses that count as failures (default 502, 503, 504)
     * @param errorRateThreshold   eject when the failure ratio over {@code window} passes this (0..1; default 0.5; 0 = off)
     * @param errorRateMinRequests minimum requests in the window before the rate counts (default 20)
     * @param window               error-rate window (default 10s)
     * @param baseEjectionTime     first ejection lasts this long; each repeat adds as much again (default 10s)
     * @param maxEjectionTime      cap on one ejection (default 5m)
     * @param maxEjectionPercent   never eject more than this share of a service's backends (default 50)
     * @param panicThreshold       below this percentage of healthy backends, route to all (default 50)
     */
    public record OutlierConfig(
            Integer consecutiveFailures,
            List<Integer> failureStatuses,
            Double errorRateThreshold,
            Integer errorRateMinRequests,
            Duration window,
            Duration baseEjectionTime,
            Duration maxEjectionTime,
            Integer maxEjectionPercent,
            Integer panicThreshold) {

        public static final OutlierConfig DEFAULT = new OutlierConfig(null, null, null, null, null, null, null, null, null);

        public OutlierConfig {
            consecutiveFailures = consecutiveFailures != null ? consecutiveFailures : 5;
            failureStatuses = failureStatuses != null ? List.copyOf(failureStatuses) : List.of(502, 503, 504);
            errorRateThreshold = errorRateThreshold != null ? errorRateThreshold : 0.5;
            errorRateMinRequests = errorRateMinRequests != null ? errorRateMinRequests : 20;
            window = window != null ? window : Duration.ofSeconds(10);
            baseEjectionTime = baseEjectionTime != null ? baseEjectionTime : Duration.ofSeconds(10);
            maxEjectionTime = maxEjectionTime != null ? maxEjectionTime : Duration.ofMinutes(5);
            maxEjectionPercent = maxEjectionPercent != null ? maxEjectionPercent : 50;
            panicThreshold = panicThreshold != null ? panicThreshold : 50;
        }
    }

    /**
     * Active health checks. Off while {@code path} is null.
     *
     * @param path               request path, e.g. {@code /health}
     * @param method             request method (default GET)
     * @param expectedStatus     a status or class: {@code 200}, {@code 2xx} (default {@code 2xx})
     * @param interval           time between checks (default 5s), jittered by up to 10%
     * @param timeout            one check's timeout (default 1s)
     * @param healthyThreshold   passes in a row to become healthy (default 2)
     * @param unhealthyThreshold failures in a row to become unhealthy (default 3)
     */
    public record ActiveCheckConfig(
            String path,
            String method,
            String expectedStatus,
            Duration interval,
            Duration timeout,
            Integer healthyThreshold,
            Integer unhealthyThreshold) {

        public static final ActiveCheckConfig DEFAULT = new ActiveCheckConfig(null, null, null, null, null, null, null);

        public ActiveCheckConfig {
            method = method != null ? method : "GET";
            expectedStatus = expectedStatus != null ? expectedStatus : "2xx";
            interval = interval != null ? interval : Duration.ofSeconds(5);
            timeout = timeout != null ? timeout : Duration.ofSeconds(1);
            healthyThreshold = healthyThreshold != null ? healthyThreshold : 2;
            unhealthyThreshold = unhealthyThreshold != null ? unhealthyThreshold : 3;
        }

        public boolean enabled() {
            return path != null;
        }
    }

    /**
     * Per-backend circuit breaker: closed, open on too many failures, half-open with trial requests.
     *
     * @param enabled             default true
     * @param consecutiveFailures failures in a row that open the circuit (default 10)
     * @param failureRatio        failure ratio over {@code window} that opens it (default 0.8)
     * @param minRequests         minimum requests in the window before the ratio counts (default 20)
     * @param window              ratio window (default 10s)
     * @param openDuration        how long it stays open before half-open (default 5s)
     * @param halfOpenRequests    trial requests allowed while half-open (default 3)
     */
    public record CircuitConfig(
            Boolean enabled,
            Integer consecutiveFailures,
            Double failureRatio,
            Integer minRequests,
            Duration window,
            Duration openDuration,
            Integer halfOpenRequests) {

        public static final CircuitConfig DEFAULT = new CircuitConfig(null, null, null, null, null, null, null);

        public CircuitConfig {
            enabled = enabled != null ? enabled : true;
            consecutiveFailures = consecutiveFailures != null ? consecutiveFailures : 10;
            failureRatio = failureRatio != null ? failureRatio : 0.8;
            minRequests = minRequests != null ? minRequests : 20;
            window = window != null ? window : Duration.ofSeconds(10);
            openDuration = openDuration != null ? openDuration : Duration.ofSeconds(5);
            halfOpenRequests = halfOpenRequests != null ? halfOpenRequests : 3;
        }
    }

    /**
     * Retries. A request that never reached a backend (connect failure, reset before any response byte)
     * is retried on a different backend whatever its method; idempotent ones also on {@code statuses}
     * and on the per-try timeout.
     *
     * @param maxAttempts      total tries including the first (default 3)
     * @param statuses         statuses that make an idempotent request retry (default 502, 503, 504)
     * @param perTryTimeout    time to first response byte for one try (default: the response timeout)
     * @param idempotentHeader a request header that marks a non-idempotent method as safe to retry
     * @param budgetRatio      retries may add at most this share of requests over 10 s (default 0.2)
     * @param budgetMinPerSecond retries always allowed per second regardless of ratio (default 10)
     * @param backoffBase      first backoff, doubled per try with full jitter (default 5ms)
     * @param backoffMax       cap on backoff (default 250ms)
     * @param maxBufferedBody  a request body up to this size is kept so it can be re-sent (default 64KiB)
     */
    public record RetryConfig(
            Integer maxAttempts,
            List<Integer> statuses,
            Duration perTryTimeout,
            String idempotentHeader,
            Double budgetRatio,
            Integer budgetMinPerSecond,
            Duration backoffBase,
            Duration backoffMax,
            @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = ByteSizeDeserializer.class)
            Long maxBufferedBody) {

        public static final RetryConfig DEFAULT = new RetryConfig(null, null, null, null, null, null, null, null, null);

        public RetryConfig {
            maxAttempts = maxAttempts != null ? maxAttempts : 3;
            statuses = statuses != null ? List.copyOf(statuses) : List.of(502, 503, 504);
            idempotentHeader = idempotentHeader != null ? idempotentHeader : "X-Switchboard-Idempotent";
            budgetRatio = budgetRatio != null ? budgetRatio : 0.2;
            budgetMinPerSecond = budgetMinPerSecond != null ? budgetMinPerSecond : 10;
            backoffBase = backoffBase != null ? backoffBase : Duration.ofMillis(5);
            backoffMax = backoffMax != null ? backoffMax : Duration.ofMillis(250);
            maxBufferedBody = maxBufferedBody != null ? maxBufferedBody : 64 * 1024L;
        }
    }
}
