package dev.switchboard.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.runtime.Launcher;
import dev.switchboard.router.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests are recorded per route and per backend; metrics of removed backends and routes are removed. */
class RequestMetricsTest {

    TestBackend backend;
    Launcher launcher;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        backend = TestBackend.start("b");
        var config = new ConfigLoader(k -> null).parse("""
                listen: {address: 127.0.0.1, port: 0}
                admin: {address: 127.0.0.1, port: 0}
                services: {web: {instances: [{address: "%s"}]}}
                routes: [{name: web, path: /, service: web}]
                """.formatted(backend.address()));
        launcher = Launcher.start(config, null, new ConfigLoader(k -> null), Launcher.Options.TEST);
    }

    @AfterEach
    void stop() {
        launcher.close();
        backend.close();
    }

    private int get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launcher.switchboard().port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void recordsRequestsByRouteAndBackendWithStatusClassesAndBytes() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/bytes/100")).isEqualTo(200);
        }
        assertThat(get("/status/503")).isBetween(500, 599);
        MetricRegistry m = launcher.metrics();
        String be = "web.static/" + backend.address();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(m.getTimers().get("switchboard.route.requests.web").getCount()).isEqualTo(4);
            assertThat(m.getTimers().get("switchboard.backend.requests." + be).getCount()).isEqualTo(4);
        });
        assertThat(m.getMeters().get("switchboard.route.responses.2xx.web").getCount()).isEqualTo(3);
        assertThat(m.getMeters().get("switchboard.route.responses.5xx.web").getCount()).isEqualTo(1);
        assertThat(m.getMeters().get("switchboard.backend.responses.5xx." + be).getCount()).isEqualTo(1);
        assertThat(m.getCounters().get("switchboard.route.bytes_out.web").getCount()).isGreaterThanOrEqualTo(300);
        Timer t = m.getTimers().get("switchboard.route.requests.web");
        assertThat(t.getSnapshot().get99thPercentile()).isPositive();
        assertThat(m.getGauges().get("switchboard.backend.selections." + be).getValue()).isEqualTo(4L);
        assertThat(m.getGauges().get("switchboard.backend.circuit_state." + be).getValue()).isIn(0, -1);
    }

    @Test
    void responsesTheRouterAnswersItselfAreCountedByCodeAndOnTheirRoute() throws Exception {
        int closedPort = closedPort();
        apply("""
                listen: {address: 127.0.0.1, port: 0}
                services:
                  web: {instances: [{address: "%s"}]}
                  empty: {}
                  gone: {instances: [{address: "127.0.0.1:%d"}], retry: {max_attempts: 1}}
                routes:
                  - {name: web, path: /app, service: web}
                  - {name: empty, path: /empty, service: empty}
                  - {name: gone, path: /gone, service: gone}
                """.formatted(backend.address(), closedPort));
        assertThat(get("/nowhere")).isEqualTo(404);
        assertThat(get("/nowhere/else")).isEqualTo(404);
        assertThat(get("/empty/x")).isEqualTo(503);
        assertThat(get("/gone/x")).isEqualTo(502);
        assertThat(get("/app/x")).isEqualTo(200);

        MetricRegistry m = launcher.metrics();
        await().atMost(Duration.ofSeconds(5)).until(() -> m.getMeters().get("switchboard.proxy.errors.no_route").getCount() == 2
                && m.getTimers().get("switchboard.route.requests.web").getCount() == 1);
        assertThat(m.getMeters().get("switchboard.proxy.errors.no_healthy_backend").getCount()).isEqualTo(1);
        assertThat(m.getMeters().get("switchboard.proxy.errors.upstream_connect_failure").getCount()).isEqualTo(1);
        assertThat(m.getMeters().get("switchboard.proxy.errors.route_overloaded").getCount()).isZero();
        // A 503 without a backend is still the route's request and its 5xx.
        assertThat(m.getTimers().get("switchboard.route.requests.empty").getCount()).isEqualTo(1);
        assertThat(m.getMeters().get("switchboard.route.responses.5xx.empty").getCount()).isEqualTo(1);
        assertThat(m.getCounters().get("switchboard.backend.attempt_failures.gone.static/127.0.0.1:" + closedPort
                + ".connect_failure").getCount()).isEqualTo(1);
        assertThat(m.getCounters().get("switchboard.backend.attempt_failures.web.static/" + backend.address()
                + ".connect_failure").getCount()).isZero();

        String text = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launcher.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(text).contains("switchboard_proxy_errors_total{code=\"no_route\"} 2")
                .contains("switchboard_backend_attempt_failures_total{backend=\"static/127.0.0.1:" + closedPort
                        + "\",reason=\"connect_failure\",service=\"gone\"} 1");
    }

    @Test
    void aFailedAttemptIsCountedOnItsBackendWhenARetryAnswersTheClient() throws Exception {
        int closedPort = closedPort();
        apply("""
                listen: {address: 127.0.0.1, port: 0}
                services:
                  web:
                    instances: [{address: "127.0.0.1:%d"}, {address: "%s"}]
                    strategy: round_robin
                routes: [{name: web, path: /, service: web}]
                """.formatted(closedPort, backend.address()));
        for (int i = 0; i < 4; i++) {
            assertThat(get("/x")).isEqualTo(200);
        }
        MetricRegistry m = launcher.metrics();
        String dead = "web.static/127.0.0.1:" + closedPort;
        await().atMost(Duration.ofSeconds(5)).until(() -> m.getTimers().get("switchboard.route.requests.web").getCount() == 4);
        assertThat(m.getCounters().get("switchboard.backend.attempt_failures." + dead + ".connect_failure").getCount())
                .as("round robin tried the dead backend first at least once").isPositive();
        assertThat(m.getMeters().get("switchboard.proxy.errors.upstream_connect_failure").getCount()).isZero();
        assertThat(m.getCounters().get("switchboard.route.retries.web").getCount())
                .isEqualTo(m.getCounters().get("switchboard.backend.attempt_failures." + dead + ".connect_failure").getCount());
    }

    /** A port nothing listens on: connecting to it is refused. */
    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Applies {@code yaml} to the running router and registers the metrics of what it holds now. */
    private void apply(String yaml) throws Exception {
        launcher.switchboard().applyConfig(new ConfigLoader(k -> null).parse(yaml), "test");
        launcher.syncMetrics();
    }

    @Test
    void prometheusTextHasLabelledNames() throws Exception {
        assertThat(get("/x")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                launcher.metrics().getTimers().get("switchboard.route.requests.web").getCount() == 1);
        String text = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launcher.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(text).contains("switchboard_route_requests_count{route=\"web\"} 1")
                .contains("switchboard_backend_in_flight{backend=\"static/" + backend.address() + "\",service=\"web\"}")
                .contains("switchboard_discovery_ready")
                .contains("jvm_memory_heap_used");
    }

    @Test
    void prometheusTextHasOneFamilyPerNameWithEveryRouteAndBackend() throws Exception {
        try (TestBackend second = TestBackend.start("second")) {
            var sb = launcher.switchboard();
            sb.applyConfig(new ConfigLoader(k -> null).parse("""
                    listen: {address: 127.0.0.1, port: 0}
                    admin: {address: 127.0.0.1, port: 0}
                    services: {web: {instances: [{address: "%s"}, {address: "%s"}]}}
                    routes: [{name: api, path: /api, service: web}, {name: web, path: /, service: web}]
                    """.formatted(backend.address(), second.address())), "test");
            launcher.syncMetrics();
            for (int i = 0; i < 4; i++) {
                assertThat(get(i % 2 == 0 ? "/api/x" : "/x")).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> launcher.metrics().getTimers().get("switchboard.route.requests.api") != null
                    && launcher.metrics().getTimers().get("switchboard.route.requests.api").getCount() == 2
                    && launcher.metrics().getTimers().get("switchboard.route.requests.web").getCount() == 2);
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + launcher.adminPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("switchboard_route_requests_count{route=\"api\"} 2")
                    .contains("switchboard_route_requests_count{route=\"web\"} 2")
                    .contains("switchboard_backend_in_flight{backend=\"static/" + backend.address() + "\",service=\"web\"}")
                    .contains("switchboard_backend_in_flight{backend=\"static/" + second.address() + "\",service=\"web\"}");
            assertThat(r.body().lines().filter(l -> l.startsWith("# TYPE switchboard_route_bytes_in_total ")).count())
                    .as("one family per name").isEqualTo(1);
        }
    }

    @Test
    void churnOfApiBackendsDoesNotGrowTheRegistry() throws Exception {
        var sb = launcher.switchboard();
        launcher.syncMetrics();
        int baseline = launcher.metrics().getNames().size();
        try (TestBackend extra = TestBackend.start("extra")) {
            for (int round = 0; round < 10; round++) {
                String churn = "churn" + round;
                ServiceInstance inst = ServiceInstance.ofStatic(churn, "127.0.0.1", extra.port(), 1);
                sb.addApiBackend(inst);
                sb.addApiBackend(ServiceInstance.ofStatic("web", "127.0.0.1", extra.port(), 1));
                launcher.syncMetrics();
                assertThat(launcher.metrics().getNames()).anyMatch(n -> n.equals("switchboard.service.instances." + churn));
                assertThat(launcher.metrics().getNames()).anyMatch(n -> n.contains("static/" + extra.address()) && n.startsWith("switchboard.backend.requests.web"));
                sb.removeApiBackend(churn, inst.id());
                sb.removeApiBackend("web", ServiceInstance.ofStatic("web", "127.0.0.1", extra.port(), 1).id());
                launcher.syncMetrics();
            }
        }
        assertThat(launcher.metrics().getNames()).hasSize(baseline);
        assertThat(launcher.requestMetrics().sizes()).containsExactly(1, 1, 1);
    }

    @Test
    void removedRouteLosesItsMetricsAfterTheSyncThread() throws Exception {
        assertThat(get("/x")).isEqualTo(200);
        var sb = launcher.switchboard();
        var next = new ConfigLoader(k -> null).parse("""
                listen: {address: 127.0.0.1, port: 0}
                services: {web: {instances: [{address: "%s"}]}}
                routes: [{name: other, path: /, service: web}]
                """.formatted(backend.address()));
        sb.applyConfig(next, "test");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(launcher.metrics().getNames())
                .noneMatch(n -> n.endsWith(".web") && n.startsWith("switchboard.route."))
                .contains("switchboard.route.requests.other"));
    }
}
