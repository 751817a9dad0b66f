package dev.switchboard.router.config;

import dev.switchboard.router.balancer.Sticky;
import dev.switchboard.router.balancer.Strategies;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Semantic checks of one {@code services.<name>} entry: balancing, instances and protection settings. */
final class ServiceValidator {

    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern COOKIE_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

    private ServiceValidator() {
    }

    static boolean isServiceName(String name) {
        return name != null && SERVICE_NAME.matcher(name).matches();
    }

    static void check(String name, ServiceConfig s, Problems p) {
        String at = "services." + name;
        if (!isServiceName(name)) {
            p.add(at + ": \"" + name + "\" (expected: a name of letters, digits, '.', '_' or '-', up to 128 characters)");
        }
        balancing(at, s, p);
        instances(at, s.instances(), p);
        p.nonNegative(at + ".slow_start", s.slowStart());
        p.timeouts(at + ".timeouts", s.timeouts());
        outlier(at + ".outlier", s.outlier(), p);
        activeCheck(at + ".active_check", s.activeCheck(), p);
        circuit(at + ".circuit", s.circuit(), p);
        retry(at + ".retry", s.retry(), p);
        p.range(at + ".max_in_flight_per_backend", s.maxInFlightPerBackend(), 0, 1_000_000);
    }

    private static void balancing(String at, ServiceConfig s, Problems p) {
        if (!Strategies.isKnown(s.strategy())) {
            p.add(at + ".strategy: \"" + s.strategy() + "\" (expected: one of " + String.join(", ", Strategies.names()) + ")");
        }
        String source = s.hashKey().source();
        if (!Strategies.HASH_KEY_SOURCES.contains(source)) {
            p.add(at + ".hash_key.source: \"" + source + "\" (expected: one of " + String.join(", ", Strategies.HASH_KEY_SOURCES) + ")");
        } else if ((source.equals("header") || source.equals("cookie")) && (s.hashKey().name() == null || s.hashKey().name().isBlank())) {
            p.add(at + ".hash_key.name: missing (expected: the " + source + " name when source is " + source + ")");
        }
        if (Sticky.NAME.equals(s.strategy())) {
            String fallback = s.sticky().fallback();
            if (!Strategies.isKnown(fallback) || fallback.equals(Sticky.NAME)) {
                List<String> others = Strategies.names().stream().filter(n -> !n.equals(Sticky.NAME)).toList();
                p.add(at + ".sticky.fallback: \"" + fallback + "\" (expected: one of " + String.join(", ", others) + ")");
            }
            if (!COOKIE_NAME.matcher(s.sticky().cookie()).matches()) {
                p.add(at + ".sticky.cookie: \"" + s.sticky().cookie() + "\" (expected: a cookie name without spaces, ';', ',' or '=')");
            }
            if (s.sticky().maxAge() != null) {
                p.positive(at + ".sticky.max_age", s.sticky().maxAge());
            }
        }
    }

    private static void instances(String at, List<InstanceConfig> instances, Problems p) {
        Set<HostPort> seen = new HashSet<>();
        for (int i = 0; i < instances.size(); i++) {
            InstanceConfig inst = instances.get(i);
            String where = at + ".instances[" + i + "]";
            if (inst.address() == null) {
                p.add(where + ".address: missing (expected: " + HostPort.EXPECTED + ")");
            } else {
                String problem = HostPort.check(inst.address());
                if (problem != null) {
                    p.add(where + ".address: \"" + inst.address() + "\" (expected: " + problem + ")");
                } else {
                    HostPort hp = HostPort.parse(inst.address());
                    if (!seen.add(new HostPort(hp.host().toLowerCase(Locale.ROOT), hp.port()))) {
                        p.add(where + ".address: \"" + inst.address() + "\" (expected: each address once per service)");
                    }
                }
            }
            p.range(where + ".weight", inst.weight(), 1, 10_000);
        }
    }

    private static void outlier(String at, ServiceConfig.OutlierConfig o, Problems p) {
        p.range(at + ".consecutive_failures", o.consecutiveFailures(), 0, 1000);
        p.statuses(at + ".failure_statuses", o.failureStatuses());
        p.fraction(at + ".error_rate_threshold", o.errorRateThreshold());
        p.range(at + ".error_rate_min_requests", o.errorRateMinRequests(), 1, 1_000_000);
        p.positive(at + ".window", o.window());
        p.positive(at + ".base_ejection_time", o.baseEjectionTime());
        p.positive(at + ".max_ejection_time", o.maxEjectionTime());
        p.ordered(at + ".base_ejection_time", o.baseEjectionTime(), at + ".max_ejection_time", o.maxEjectionTime());
        p.range(at + ".max_ejection_percent", o.maxEjectionPercent(), 0, 100);
        p.range(at + ".panic_threshold", o.panicThreshold(), 0, 100);
    }

    private static void activeCheck(String at, ServiceConfig.ActiveCheckConfig a, Problems p) {
        if (!a.enabled()) {
            return;
        }
        if (!a.path().startsWith("/")) {
            p.add(at + ".path: \"" + a.path() + "\" (expected: starts with /)");
        }
        if (!a.expectedStatus().matches("[1-5]([0-9][0-9]|xx)")) {
            p.add(at + ".expected_status: \"" + a.expectedStatus() + "\" (expected: a status such as 200 or a class such as 2xx)");
        }
        if (!a.method().matches("[A-Z]{1,16}")) {
            p.add(at + ".method: \"" + a.method() + "\" (expected: an HTTP method such as GET)");
        }
        p.positive(at + ".interval", a.interval());
        p.positive(at + ".timeout", a.timeout());
        p.range(at + ".healthy_threshold", a.healthyThreshold(), 1, 100);
        p.range(at + ".unhealthy_threshold", a.unhealthyThreshold(), 1, 100);
    }

    private static void circuit(String at, ServiceConfig.CircuitConfig c, Problems p) {
        p.range(at + ".consecutive_failures", c.consecutiveFailures(), 1, 100_000);
        p.fraction(at + ".failure_ratio", c.failureRatio());
        p.range(at + ".min_requests", c.minRequests(), 1, 1_000_000);
        p.positive(at + ".window", c.window());
        p.positive(at + ".open_duration", c.openDuration());
        p.range(at + ".half_open_requests", c.halfOpenRequests(), 1, 1000);
    }

    private static void retry(String at, ServiceConfig.RetryConfig r, Problems p) {
        p.range(at + ".max_attempts", r.maxAttempts(), 1, 10);
        p.statuses(at + ".statuses", r.statuses());
        if (r.perTryTimeout() != null) {
            p.positive(at + ".per_try_timeout", r.perTryTimeout());
        }
        if (!r.idempotentHeader().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            p.add(at + ".idempotent_header: \"" + r.idempotentHeader() + "\" (expected: a header name)");
        }
        p.fraction(at + ".budget_ratio", r.budgetRatio());
        p.range(at + ".budget_min_per_second", r.budgetMinPerSecond(), 0, 1_000_000);
        p.nonNegative(at + ".backoff_base", r.backoffBase());
        p.nonNegative(at + ".backoff_max", r.backoffMax());
        p.ordered(at + ".backoff_base", r.backoffBase(), at + ".backoff_max", r.backoffMax());
        p.range(at + ".max_buffered_body", r.maxBufferedBody(), 0, 64L * 1024 * 1024);
    }
}
