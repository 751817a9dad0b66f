package dev.switchboard.router.config;

import dev.switchboard.router.balancer.Strategies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Semantic checks after binding. Collects every problem (not just the first), each as
 * {@code field.path: value (expected: …)}. Route shape (paths, hosts, rewrites) is checked by the
 * route table builder, which the caller runs on the same config.
 */
final class ConfigValidator {

    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Set<String> HASH_SOURCES = Set.of("client_ip", "header", "cookie", "path");

    private final List<String> problems = new ArrayList<>();

    private ConfigValidator() {
    }

    static List<String> validate(SwitchboardConfig c) {
        ConfigValidator v = new ConfigValidator();
        v.listen(c.listen());
        v.admin(c.admin());
        v.upstream(c.upstream());
        c.services().forEach(v::service);
        v.routes(c);
        return v.problems;
    }

    private void listen(ListenConfig l) {
        port("listen.port", l.port());
        notBlank("listen.address", l.address());
        range("listen.io_threads", l.ioThreads(), 0, 256);
        range("listen.max_header_size", l.maxHeaderSize(), 1024, 1024 * 1024);
        range("listen.max_url_length", l.maxUrlLength(), 64, 1024 * 1024);
        range("listen.max_request_body", l.maxRequestBody(), 0, Long.MAX_VALUE);
        positive("listen.idle_timeout", l.idleTimeout());
        positive("listen.request_header_timeout", l.requestHeaderTimeout());
        nonNegative("listen.drain_timeout", l.drainTimeout());
        for (int i = 0; i < l.trustedProxies().size(); i++) {
            try {
                dev.switchboard.router.proxy.TrustedProxies.parse(List.of(l.trustedProxies().get(i)));
            } catch (IllegalArgumentException e) {
                problems.add("listen.trusted_proxies[" + i + "]: " + e.getMessage());
            }
        }
    }

    private void admin(AdminConfig a) {
        port("admin.port", a.port());
        notBlank("admin.address", a.address());
        if (a.token() != null && a.token().length() < 16) {
            problems.add("admin.token: <redacted, " + a.token().length() + " characters> (expected: at least 16 characters)");
        }
    }

    private void upstream(UpstreamConfig u) {
        range("upstream.connections_per_thread", u.connectionsPerThread(), 1, 100_000);
        range("upstream.max_queue", u.maxQueue(), 0, 1_000_000);
        positive("upstream.queue_timeout", u.queueTimeout());
        nonNegative("upstream.keep_alive_ttl", u.keepAliveTtl());
        timeouts("upstream.timeouts", u.timeouts());
    }

    private void service(String name, ServiceConfig s) {
        String at = "services." + name;
        if (!SERVICE_NAME.matcher(name).matches()) {
            problems.add(at + ": \"" + name + "\" (expected: a name of letters, digits, '.', '_' or '-', up to 128 characters)");
        }
        if (!Strategies.isKnown(s.strategy())) {
            problems.add(at + ".strategy: \"" + s.strategy() + "\" (expected one of: " + String.join(", ", Strategies.names()) + ")");
        }
        if (!HASH_SOURCES.contains(s.hashKey().source())) {
            problems.add(at + ".hash_key.source: \"" + s.hashKey().source() + "\" (expected one of: client_ip, cookie, header, path)");
        } else if ((s.hashKey().source().equals("header") || s.hashKey().source().equals("cookie"))
                && (s.hashKey().name() == null || s.hashKey().name().isBlank())) {
            problems.add(at + ".hash_key.name: missing (expected: the " + s.hashKey().source() + " name)");
        }
        if (s.strategy().equals("sticky")) {
            if (!Strategies.isKnown(s.sticky().fallback()) || s.sticky().fallback().equals("sticky")) {
                problems.add(at + ".sticky.fallback: \"" + s.sticky().fallback() + "\" (expected a strategy other than sticky)");
            }
            if (!s.sticky().cookie().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                problems.add(at + ".sticky.cookie: \"" + s.sticky().cookie() + "\" (expected: a cookie name token)");
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < s.instances().size(); i++) {
            InstanceConfig inst = s.instances().get(i);
            String where = at + ".instances[" + i + "]";
            String problem = HostPort.check(inst.address());
            if (problem != null) {
                problems.add(where + ".address: \"" + inst.address() + "\" (expected: " + problem + ")");
            } else if (!seen.add(inst.address())) {
                problems.add(where + ".address: \"" + inst.address() + "\" (expected: each address once per service)");
            }
            range(where + ".weight", inst.weight(), 1, 10_000);
        }
        nonNegative(at + ".slow_start", s.slowStart());
        timeouts(at + ".timeouts", s.timeouts());
        var o = s.outlier();
        range(at + ".outlier.consecutive_failures", o.consecutiveFailures(), 0, 1000);
        statuses(at + ".outlier.failure_statuses", o.failureStatuses());
        fraction(at + ".outlier.error_rate_threshold", o.errorRateThreshold());
        range(at + ".outlier.error_rate_min_requests", o.errorRateMinRequests(), 1, 1_000_000);
        positive(at + ".outlier.window", o.window());
        positive(at + ".outlier.base_ejection_time", o.baseEjectionTime());
        positive(at + ".outlier.max_ejection_time", o.maxEjectionTime());
        range(at + ".outlier.max_ejection_percent", o.maxEjectionPercent(), 0, 100);
        range(at + ".outlier.panic_threshold", o.panicThreshold(), 0, 100);
        var a = s.activeCheck();
        if (a.enabled()) {
            if (!a.path().startsWith("/")) {
                problems.add(at + ".active_check.path: \"" + a.path() + "\" (expected: starts with /)");
            }
            if (!a.expectedStatus().matches("[1-5]([0-9][0-9]|xx)")) {
                problems.add(at + ".active_check.expected_status: \"" + a.expectedStatus() + "\" (expected: a status such as 200 or a class such as 2xx)");
            }
            if (!a.method().matches("[A-Z]{1,16}")) {
                problems.add(at + ".active_check.method: \"" + a.method() + "\" (expected: an HTTP method such as GET)");
            }
            positive(at + ".active_check.interval", a.interval());
            positive(at + ".active_check.timeout", a.timeout());
            range(at + ".active_check.healthy_threshold", a.healthyThreshold(), 1, 100);
            range(at + ".active_check.unhealthy_threshold", a.unhealthyThreshold(), 1, 100);
        }
        var cb = s.circuit();
        range(at + ".circuit.consecutive_failures", cb.consecutiveFailures(), 1, 100_000);
        fraction(at + ".circuit.failure_ratio", cb.failureRatio());
        range(at + ".circuit.min_requests", cb.minRequests(), 1, 1_000_000);
        positive(at + ".circuit.window", cb.window());
        positive(at + ".circuit.open_duration", cb.openDuration());
        range(at + ".circuit.half_open_requests", cb.halfOpenRequests(), 1, 1000);
        var r = s.retry();
        range(at + ".retry.max_attempts", r.maxAttempts(), 1, 10);
        statuses(at + ".retry.statuses", r.statuses());
        if (r.perTryTimeout() != null) {
            positive(at + ".retry.per_try_timeout", r.perTryTimeout());
        }
        fraction(at + ".retry.budget_ratio", r.budgetRatio());
        range(at + ".retry.budget_min_per_second", r.budgetMinPerSecond(), 0, 1_000_000);
        nonNegative(at + ".retry.backoff_base", r.backoffBase());
        nonNegative(at + ".retry.backoff_max", r.backoffMax());
        range(at + ".retry.max_buffered_body", r.maxBufferedBody(), 0, 64L * 1024 * 1024);
        range(at + ".max_in_flight_per_backend", s.maxInFlightPerBackend(), 0, 1_000_000);
    }

    private void routes(SwitchboardConfig c) {
        for (int i = 0; i < c.routes().size(); i++) {
            RouteConfig r = c.routes().get(i);
            String svc = r.service();
            if (svc != null && !svc.isBlank() && !c.services().containsKey(svc) && !c.consul().enabled()) {
                problems.add("routes[" + i + "].service: \"" + svc + "\" (expected: a service declared under services, or consul.enabled: true)");
            }
            timeouts("routes[" + i + "].timeouts", r.timeouts());
            range("routes[" + i + "].max_in_flight", r.maxInFlight(), 0, 10_000_000);
        }
        problems.addAll(dev.switchboard.router.table.RouteTableBuilder.validate(c.routes()));
    }

    // ---- primitives ----

    private void timeouts(String at, TimeoutsConfig t) {
        if (t.connect() != null) {
            positive(at + ".connect", t.connect());
        }
        if (t.response() != null) {
            positive(at + ".response", t.response());
        }
        if (t.idle() != null) {
            positive(at + ".idle", t.idle());
        }
    }

    private void statuses(String at, List<Integer> statuses) {
        for (int i = 0; i < statuses.size(); i++) {
            range(at + "[" + i + "]", statuses.get(i), 100, 599);
        }
    }

    private void port(String at, int port) {
        range(at, port, 0, 65535);
    }

    private void notBlank(String at, String value) {
        if (value == null || value.isBlank()) {
            problems.add(at + ": \"" + value + "\" (expected: a non-empty value)");
        }
    }

    private void range(String at, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(at + ": " + value + " (expected: " + (max == Long.MAX_VALUE ? ">= " + min : min + ".." + max) + ")");
        }
    }

    private void fraction(String at, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            problems.add(at + ": " + value + " (expected: 0.0..1.0)");
        }
    }

    private void positive(String at, Duration d) {
        if (d.isZero() || d.isNegative()) {
            problems.add(at + ": " + d.toMillis() + "ms (expected: > 0)");
        }
    }

    private void nonNegative(String at, Duration d) {
        if (d.isNegative()) {
            problems.add(at + ": " + d.toMillis() + "ms (expected: >= 0)");
        }
    }

    static String describe(Map<String, ?> map) {
        return String.join(", ", map.keySet());
    }
}
