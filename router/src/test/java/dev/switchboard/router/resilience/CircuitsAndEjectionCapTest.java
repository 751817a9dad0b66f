package dev.switchboard.router.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.health.CircuitBreaker;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Every backend of a service answers 503 with its own {@code Retry-After}. Outlier detection may
 * eject only one of the three ({@code max_ejection_percent} 50), and then the circuits open on the
 * other two. An open circuit counts as unhealthy, so the service enters panic and keeps routing to
 * all three: clients get the backends' 503s (with their Retry-After), never the router's own
 * {@code no_healthy_backend}, and the API says so (healthy 0, panic true).
 */
class CircuitsAndEjectionCapTest {

    private static final int REQUESTS = 300;

    @AutoClose
    private final TestBackend a = TestBackend.start("a");
    @AutoClose
    private final TestBackend b = TestBackend.start("b");
    @AutoClose
    private final TestBackend c = TestBackend.start("c");
    @AutoClose
    private RouterFixture router;

    private static HttpHandler overloaded() {
        return exchange -> {
            exchange.setStatusCode(503);
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "7");
            exchange.getResponseSender().send("overloaded\n");
        };
    }

    @Test
    void circuitsOpeningOnTheBackendsTheCapKeptInLeadToPanicNotToNoHealthyBackend() throws Exception {
        router = RouterFixture.launch("""
                admin: {address: 127.0.0.1, port: 0}
                services:
                  web:
                    instances: [{address: "%s"}, {address: "%s"}, {address: "%s"}]
                    outlier: {consecutive_failures: 3}
                routes:
                  - {path: /, service: web}
                """.formatted(a.address(), b.address(), c.address()));
        a.behave(overloaded());
        b.behave(overloaded());
        c.behave(overloaded());

        Map<String, Integer> answers = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<String> r = router.get("/p");
            String key = r.statusCode() + " retry-after=" + r.headers().firstValue("Retry-After").orElse("-")
                    + " error=" + r.headers().firstValue("X-Switchboard-Error").orElse("-");
            answers.merge(key, 1, Integer::sum);
        }
        System.out.println("answers: " + answers + "; backends a=" + a.requests() + " b=" + b.requests()
                + " c=" + c.requests());
        String services = router.client().send(HttpRequest.newBuilder(router.adminUri("/api/v1/services")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        System.out.println("services: " + services);

        assertThat(answers).as("every client got a backend's own 503").containsOnlyKeys("503 retry-after=7 error=-");
        long now = System.nanoTime();
        long notClosed = Stream.of(a, b, c)
                .filter(t -> Backends.live(router, "web", t).health().circuit().state(now) != CircuitBreaker.State.CLOSED)
                .count();
        assertThat(notClosed).as("circuits opened on the backends the cap kept in (the case under test)")
                .isGreaterThanOrEqualTo(2);
        assertThat(router.switchboard().registry().membership("web").state().health().ejected())
                .as("max_ejection_percent still holds").isEqualTo(1);
        assertThat(services).contains("\"healthy\":0").contains("\"panic\":true");
    }
}
