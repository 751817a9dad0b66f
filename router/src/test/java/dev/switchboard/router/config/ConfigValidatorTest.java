package dev.switchboard.router.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.balancer.Strategies;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** One test per validation rule; messages are asserted whole. Configs are written as YAML, as users do. */
class ConfigValidatorTest {

    private static final String EXPECTED_ADDRESS = "(expected: " + HostPort.EXPECTED + ")";

    private static List<String> problems(String yaml) {
        try {
            ConfigLoader.withEnvironment(Map.of()).parse(yaml);
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    /** A service "web" with one valid instance and the given extra settings (flow-style YAML). */
    private static List<String> web(String settings) {
        return problems("services:\n  web: {instances: [{address: '10.0.0.1:80'}]" + (settings.isEmpty() ? "" : ", " + settings) + "}\n");
    }

    @Test
    void validConfigHasNoProblems() {
        assertThat(web("")).isEmpty();
        assertThat(problems("listen: {port: 0}\nadmin: {port: 0}")).isEmpty();
    }

    @Test
    void ports() {
        assertThat(problems("listen: {port: 70000}")).containsExactly("listen.port: 70000 (expected: 0..65535)");
        assertThat(problems("listen: {port: -1}")).containsExactly("listen.port: -1 (expected: 0..65535)");
        assertThat(problems("admin: {port: 65536}")).containsExactly("admin.port: 65536 (expected: 0..65535)");
    }

    @Test
    void adminPortMustDifferFromListenPortWhileAdminIsOn() {
        assertThat(problems("listen: {port: 9000}\nadmin: {port: 9000}"))
                .containsExactly("admin.port: 9000 (expected: a port other than listen.port, or admin.enabled: false)");
        assertThat(problems("listen: {port: 9000}\nadmin: {port: 9000, enabled: false}")).isEmpty();
    }

    @Test
    void addressesMustNotBeBlank() {
        assertThat(problems("listen: {address: ' '}\nadmin: {address: ''}")).containsExactly(
                "listen.address: \" \" (expected: a non-empty value)",
                "admin.address: \"\" (expected: a non-empty value)");
    }

    @Test
    void ioThreads() {
        assertThat(problems("listen: {io_threads: 257}")).containsExactly("listen.io_threads: 257 (expected: 0..256)");
        assertThat(problems("listen: {io_threads: -1}")).containsExactly("listen.io_threads: -1 (expected: 0..256)");
    }

    @Test
    void headerUrlAndBodyLimits() {
        assertThat(problems("listen: {max_header_size: 512}"))
                .containsExactly("listen.max_header_size: 512 (expected: 1024..1048576)");
        assertThat(problems("listen: {max_header_size: 2MiB}"))
                .containsExactly("listen.max_header_size: 2097152 (expected: 1024..1048576)");
        assertThat(problems("listen: {max_url_length: 10}")).containsExactly("listen.max_url_length: 10 (expected: 64..1048576)");
        assertThat(problems("listen: {max_request_body: -1}")).containsExactly("listen.max_request_body: -1 (expected: >= 0)");
    }

    @Test
    void durationsThatMustBePositive() {
        assertThat(problems("listen: {idle_timeout: 0, request_header_timeout: 0s}")).containsExactly(
                "listen.idle_timeout: 0 (expected: > 0)",
                "listen.request_header_timeout: 0 (expected: > 0)");
        assertThat(problems("upstream: {queue_timeout: 0ms, timeouts: {connect: 0, response: 0, idle: 0}}")).containsExactly(
                "upstream.queue_timeout: 0 (expected: > 0)",
                "upstream.timeouts.connect: 0 (expected: > 0)",
                "upstream.timeouts.response: 0 (expected: > 0)",
                "upstream.timeouts.idle: 0 (expected: > 0)");
        assertThat(web("timeouts: {connect: 0}, outlier: {window: 0}, circuit: {open_duration: 0}"))
                .containsExactly(
                        "services.web.timeouts.connect: 0 (expected: > 0)",
                        "services.web.outlier.window: 0 (expected: > 0)",
                        "services.web.circuit.open_duration: 0 (expected: > 0)");
        assertThat(web("retry: {per_try_timeout: 0}")).containsExactly("services.web.retry.per_try_timeout: 0 (expected: > 0)");
    }

    @Test
    void durationsThatMayBeZero() {
        assertThat(problems("listen: {drain_timeout: 0}\nupstream: {keep_alive_ttl: 0}")).isEmpty();
        assertThat(web("slow_start: 0, retry: {backoff_base: 0, backoff_max: 0}")).isEmpty();
    }

    @Test
    void trustedProxiesMustBeAddressesOrCidrs() {
        assertThat(problems("listen: {trusted_proxies: [10.0.0.0/8, not-an-ip, 10.0.0.0/33, '::1/129']}")).containsExactly(
                "listen.trusted_proxies[1]: not-an-ip (expected: an IP address or CIDR such as 10.0.0.0/8)",
                "listen.trusted_proxies[2]: 10.0.0.0/33 (expected: prefix length 0..32)",
                "listen.trusted_proxies[3]: ::1/129 (expected: prefix length 0..128)");
    }

    @Test
    void adminTokenTooShortIsReportedWithoutItsValue() {
        List<String> problems = problems("admin: {token: abc-123-xyz}");

        assertThat(problems).containsExactly(
                "admin.token: <redacted, 11 characters> (expected: at least 16 characters, here or in SWITCHBOARD_ADMIN_TOKEN)");
        assertThat(String.join("\n", problems)).doesNotContain("abc-123-xyz");
        assertThat(problems("admin: {token: 0123456789abcdef}")).isEmpty();
    }

    @Test
    void adminTokenFromEnvironmentIsCheckedToo() {
        List<String> problems;
        try {
            ConfigLoader.withEnvironment(Map.of("SWITCHBOARD_ADMIN_TOKEN", "tiny")).parse("");
            problems = List.of();
        } catch (ConfigException e) {
            problems = e.problems();
        }

        assertThat(problems).containsExactly(
                "admin.token: <redacted, 4 characters> (expected: at least 16 characters, here or in SWITCHBOARD_ADMIN_TOKEN)");
    }

    @Test
    void unknownStrategyListsTheValidNames() {
        List<String> problems = web("strategy: fastest");

        assertThat(problems).containsExactly("services.web.strategy: \"fastest\" (expected: one of "
                + String.join(", ", Strategies.names()) + ")");
        assertThat(problems.get(0)).contains("round_robin", "least_request", "ring_hash", "maglev", "sticky");
    }

    @Test
    void everyRegisteredStrategyIsAccepted() {
        for (String name : Strategies.names()) {
            assertThat(web("strategy: " + name)).as(name).isEmpty();
        }
    }

    @Test
    void hashKeySourceAndName() {
        assertThat(web("strategy: ring_hash, hash_key: {source: query}")).containsExactly(
                "services.web.hash_key.source: \"query\" (expected: one of " + String.join(", ", Strategies.HASH_KEY_SOURCES) + ")");
        assertThat(web("strategy: maglev, hash_key: {source: header}")).containsExactly(
                "services.web.hash_key.name: missing (expected: the header name when source is header)");
        assertThat(web("strategy: maglev, hash_key: {source: cookie, name: ' '}")).containsExactly(
                "services.web.hash_key.name: missing (expected: the cookie name when source is cookie)");
        assertThat(web("strategy: ring_hash, hash_key: {source: path}")).isEmpty();
        assertThat(web("strategy: ring_hash")).isEmpty();
    }

    @Test
    void stickyFallbackMustBeAnotherKnownStrategy() {
        String others = "(expected: one of round_robin, weighted_round_robin, random, weighted_random, least_request, "
                + "peak_ewma, ring_hash, maglev)";
        assertThat(web("strategy: sticky, sticky: {fallback: sticky}"))
                .containsExactly("services.web.sticky.fallback: \"sticky\" " + others);
        assertThat(web("strategy: sticky, sticky: {fallback: nope}"))
                .containsExactly("services.web.sticky.fallback: \"nope\" " + others);
        assertThat(web("strategy: sticky, sticky: {fallback: peak_ewma}")).isEmpty();
    }

    @Test
    void stickyCookieAndMaxAge() {
        assertThat(web("strategy: sticky, sticky: {cookie: 'a b;c', max_age: 0}")).containsExactly(
                "services.web.sticky.cookie: \"a b;c\" (expected: a cookie name without spaces, ';', ',' or '=')",
                "services.web.sticky.max_age: 0 (expected: > 0)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1:80", "web-1.internal:8080", "localhost:65535", "[::1]:80", "[fd00::12]:1",
            "[::ffff:10.0.0.1]:443", "WEB_1.Example.com:8080"})
    void acceptedInstanceAddresses(String address) {
        assertThat(problems("services: {web: {instances: [{address: '" + address + "'}]}}")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "10.0.0.1:", "10.0.0.1:0", "10.0.0.1:70000", "10.0.0.1:+80", "10.0.0.1:8o",
            ":80", "junk", "::1:80", "[::1]80", "[::1]", "[]:80", "[10.0.0.1]:80", "256.1.1.1:80", "a b:80",
            "-web:80", "web..internal:80", "http://web:80"})
    void rejectedInstanceAddresses(String address) {
        assertThat(problems("services: {web: {instances: [{address: '" + address + "'}]}}"))
                .containsExactly("services.web.instances[0].address: \"" + address + "\" " + EXPECTED_ADDRESS);
    }

    @Test
    void instanceWithoutAddress() {
        assertThat(problems("services: {web: {instances: [{weight: 2}]}}"))
                .containsExactly("services.web.instances[0].address: missing " + EXPECTED_ADDRESS);
    }

    @Test
    void duplicateInstanceIgnoringHostCase() {
        assertThat(problems("services: {web: {instances: [{address: 'web.local:80'}, {address: 'a:1'}, {address: 'WEB.local:80'}]}}"))
                .containsExactly("services.web.instances[2].address: \"WEB.local:80\" (expected: each address once per service)");
        assertThat(problems("services: {web: {instances: [{address: 'a:1'}]}, api: {instances: [{address: 'a:1'}]}}")).isEmpty();
    }

    @Test
    void weights() {
        assertThat(problems("services: {web: {instances: [{address: 'a:1', weight: 0}, {address: 'a:2', weight: 10001}]}}"))
                .containsExactly(
                        "services.web.instances[0].weight: 0 (expected: 1..10000)",
                        "services.web.instances[1].weight: 10001 (expected: 1..10000)");
    }

    @Test
    void serviceName() {
        assertThat(problems("services: {'bad name': {}}")).containsExactly(
                "services.bad name: \"bad name\" (expected: a name of letters, digits, '.', '_' or '-', up to 128 characters)");
    }

    @Test
    void outlierRanges() {
        assertThat(web("outlier: {consecutive_failures: -1, failure_statuses: [503, 600], error_rate_threshold: 1.5, "
                + "error_rate_min_requests: 0, max_ejection_percent: 101, panic_threshold: -1}")).containsExactly(
                "services.web.outlier.consecutive_failures: -1 (expected: 0..1000)",
                "services.web.outlier.failure_statuses[1]: 600 (expected: 100..599)",
                "services.web.outlier.error_rate_threshold: 1.5 (expected: 0.0..1.0)",
                "services.web.outlier.error_rate_min_requests: 0 (expected: 1..1000000)",
                "services.web.outlier.max_ejection_percent: 101 (expected: 0..100)",
                "services.web.outlier.panic_threshold: -1 (expected: 0..100)");
    }

    @Test
    void outlierEjectionTimesAreOrdered() {
        assertThat(web("outlier: {base_ejection_time: 2m, max_ejection_time: 30s}")).containsExactly(
                "services.web.outlier.max_ejection_time: 30s (expected: >= services.web.outlier.base_ejection_time, 120s)");
    }

    @Test
    void activeCheck() {
        assertThat(web("active_check: {path: health, expected_status: 200x, method: get, interval: 0, "
                + "healthy_threshold: 0, unhealthy_threshold: 101}")).containsExactly(
                "services.web.active_check.path: \"health\" (expected: starts with /)",
                "services.web.active_check.expected_status: \"200x\" (expected: a status such as 200 or a class such as 2xx)",
                "services.web.active_check.method: \"get\" (expected: an HTTP method such as GET)",
                "services.web.active_check.interval: 0 (expected: > 0)",
                "services.web.active_check.healthy_threshold: 0 (expected: 1..100)",
                "services.web.active_check.unhealthy_threshold: 101 (expected: 1..100)");
        assertThat(web("active_check: {method: get}")).as("settings of a disabled check are not checked").isEmpty();
    }

    @Test
    void circuitRanges() {
        assertThat(web("circuit: {consecutive_failures: 0, failure_ratio: 2, min_requests: 0, half_open_requests: 0}"))
                .containsExactly(
                        "services.web.circuit.consecutive_failures: 0 (expected: 1..100000)",
                        "services.web.circuit.failure_ratio: 2.0 (expected: 0.0..1.0)",
                        "services.web.circuit.min_requests: 0 (expected: 1..1000000)",
                        "services.web.circuit.half_open_requests: 0 (expected: 1..1000)");
    }

    @Test
    void retryRanges() {
        assertThat(web("retry: {max_attempts: 11, statuses: [99], budget_ratio: -0.1, budget_min_per_second: -1, "
                + "max_buffered_body: 1GiB, idempotent_header: 'X Bad'}")).containsExactly(
                "services.web.retry.max_attempts: 11 (expected: 1..10)",
                "services.web.retry.statuses[0]: 99 (expected: 100..599)",
                "services.web.retry.idempotent_header: \"X Bad\" (expected: a header name)",
                "services.web.retry.budget_ratio: -0.1 (expected: 0.0..1.0)",
                "services.web.retry.budget_min_per_second: -1 (expected: 0..1000000)",
                "services.web.retry.max_buffered_body: 1073741824 (expected: 0..67108864)");
        assertThat(web("retry: {max_attempts: 0}")).containsExactly("services.web.retry.max_attempts: 0 (expected: 1..10)");
    }

    @Test
    void retryBackoffIsOrdered() {
        assertThat(web("retry: {backoff_base: 1s, backoff_max: 250ms}")).containsExactly(
                "services.web.retry.backoff_max: 250ms (expected: >= services.web.retry.backoff_base, 1s)");
    }

    @Test
    void maxInFlightPerBackend() {
        assertThat(web("max_in_flight_per_backend: -1"))
                .containsExactly("services.web.max_in_flight_per_backend: -1 (expected: 0..1000000)");
    }

    @Test
    void routeToUndeclaredServiceNeedsConsul() {
        assertThat(problems("routes: [{path: /, service: billing}]")).containsExactly(
                "routes[0].service: \"billing\" (expected: a service declared under services, or consul.enabled: true)");
        assertThat(problems("consul: {enabled: true}\nroutes: [{path: /, service: billing}]")).isEmpty();
        assertThat(problems("services: {billing: }\nroutes: [{path: /, service: billing}]")).isEmpty();
    }

    @Test
    void routeShapeProblemsComeFromTheRouteTableAndAreNotDoubled() {
        List<String> problems = problems("services: {web: }\nroutes: [{path: api, service: web, timeouts: {connect: 0}}]");

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("routes[0].path: \"api\""));
        assertThat(problems).filteredOn(p -> p.startsWith("routes[0].timeouts.connect")).hasSize(1);
    }

    @Test
    void consulAddressWaitTimeAndRegistration() {
        assertThat(problems("consul: {address: 'ftp://consul:21', wait_time: 10m, register: {enabled: true, service_name: 'a b'}}"))
                .containsExactly(
                        "consul.address: \"ftp://consul:21\" (expected: host:port or http(s)://host:port, here or in CONSUL_HTTP_ADDR)",
                        "consul.wait_time: 600s (expected: 1s..5m)",
                        "consul.register.service_name: \"a b\" (expected: a name of letters, digits, '.', '_' or '-')");
        assertThat(problems("consul: {wait_time: 500ms}")).containsExactly("consul.wait_time: 500ms (expected: 1s..5m)");
        assertThat(problems("consul: {address: 'consul.local:8500', wait_time: 5m}")).isEmpty();
    }

    @Test
    void consulAddressFromEnvironmentIsChecked() {
        List<String> problems;
        try {
            ConfigLoader.withEnvironment(Map.of("CONSUL_HTTP_ADDR", "consul:8500/path")).parse("consul: {enabled: true}");
            problems = List.of();
        } catch (ConfigException e) {
            problems = e.problems();
        }

        assertThat(problems).containsExactly(
                "consul.address: \"consul:8500/path\" (expected: host:port or http(s)://host:port, here or in CONSUL_HTTP_ADDR)");
    }

    @Test
    void accessLogFormatAndOutput() {
        assertThat(problems("access_log: {format: '', output: ' '}")).containsExactly(
                "access_log.format: \"\" (expected: a non-empty value)",
                "access_log.output: \" \" (expected: a non-empty value)");
    }

    @Test
    void everyProblemIsReportedTogetherInFileOrder() {
        List<String> problems = problems("""
                listen: {port: 70000, idle_timeout: 0}
                admin: {token: short}
                services:
                  web:
                    strategy: fastest
                    instances: [{address: nope}, {address: 'a:1', weight: 0}]
                routes:
                  - {path: /, service: missing}
                """);

        assertThat(problems).containsExactly(
                "listen.port: 70000 (expected: 0..65535)",
                "listen.idle_timeout: 0 (expected: > 0)",
                "admin.token: <redacted, 5 characters> (expected: at least 16 characters, here or in SWITCHBOARD_ADMIN_TOKEN)",
                "services.web.strategy: \"fastest\" (expected: one of " + String.join(", ", Strategies.names()) + ")",
                "services.web.instances[0].address: \"nope\" " + EXPECTED_ADDRESS,
                "services.web.instances[1].weight: 0 (expected: 1..10000)",
                "routes[0].service: \"missing\" (expected: a service declared under services, or consul.enabled: true)");
    }
}
