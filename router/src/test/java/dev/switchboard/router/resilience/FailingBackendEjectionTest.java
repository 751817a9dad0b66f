package dev.switchboard.router.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.router.health.LoggingHealthEvents;
import dev.switchboard.router.testing.LogCapture;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Issue #3: a backend answering 503 to everything is ejected within the configured number of
 * failures (clients never see its 503s, GETs are retried on another backend), stays out for the
 * ejection time, and takes traffic again once it has recovered. Each decision is logged once.
 */
class FailingBackendEjectionTest {

    private static final int N = 3;

    @AutoClose
    private final TestBackend a = TestBackend.start("a");
    @AutoClose
    private final TestBackend b = TestBackend.start("b");
    @AutoClose
    private final TestBackend bad = TestBackend.start("bad");
    @AutoClose
    private final LogCapture events = LogCapture.of(LoggingHealthEvents.class);
    @AutoClose
    private RouterFixture router;

    @Test
    void failingBackendIsEjectedWithinNAndReturnsAfterRecovery() throws Exception {
        router = RouterFixture.start("""
                services:
                  web:
                    instances: [{address: "%s"}, {address: "%s"}, {address: "%s"}]
                    outlier: {consecutive_failures: %d, error_rate_threshold: 0, base_ejection_time: 5s}
                    circuit: {enabled: false}
                routes:
                  - {path: /, service: web}
                """.formatted(a.address(), b.address(), bad.address(), N));
        var outlier = Backends.live(router, "web", bad).health().outlier();
        bad.behave(Backends.status(503));
        // Until the ejection and two rounds past it (a member would have had two more), well within
        // the 5 s it lasts even on a slow machine.
        for (int i = 0, whileEjected = 0; i < 30 && whileEjected < 6; i++) {
            boolean ejected = outlier.isEjected(System.nanoTime());
            assertThat(router.get("/e").statusCode()).as("request %d", i).isEqualTo(200);
            if (ejected) {
                whileEjected++;
            }
        }
        int beforeEjection = bad.requests();
        System.out.println("bad received " + beforeEjection + " requests before ejection (N=" + N + ")");
        // Sequential requests: exactly N failures reach it before the N-th ejects it.
        assertThat(beforeEjection).isEqualTo(N);
        assertThat(outlier.isEjected(System.nanoTime())).isTrue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.matching("ejected web/", bad.address(), N + " failures in a row")).hasSize(1));

        bad.behave(null);
        // The rest of the 5 s ejection, then the first request that reaches it.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> {
            assertThat(router.get("/e").statusCode()).isEqualTo(200);
            return bad.requests() > beforeEjection;
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.matching("returned web/", bad.address())).hasSize(1));
        int back = bad.requests();
        for (int i = 0; i < 9; i++) {
            router.get("/e");
        }
        // Round robin over three healthy backends again: it takes its third.
        assertThat(bad.requests() - back).isEqualTo(3);
    }

    /**
     * Three backends all failing, at most half ejected: the two that may not be ejected fail again
     * every few requests. That is reported once per backend per interval, not once per streak
     * (which was a WARN line every few requests under load).
     */
    @Test
    void aRefusedEjectionIsReportedOncePerIntervalNotPerFailureStreak() throws Exception {
        router = RouterFixture.start("""
                services:
                  web:
                    instances: [{address: "%s"}, {address: "%s"}, {address: "%s"}]
                    outlier: {consecutive_failures: %d, error_rate_threshold: 0, max_ejection_percent: 34, panic_threshold: 0}
                    circuit: {enabled: false}
                    retry: {max_attempts: 1}
                routes:
                  - {path: /, service: web}
                """.formatted(a.address(), b.address(), bad.address(), N));
        a.behave(Backends.status(503));
        b.behave(Backends.status(503));
        bad.behave(Backends.status(503));
        for (int i = 0; i < 120; i++) {
            assertThat(router.get("/f").statusCode()).as("request %d", i).isEqualTo(503);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.matching("ejected web/")).hasSize(1));
        // 120 failures on the two left in: ~20 refused ejections each, reported once each.
        assertThat(events.matching("not ejecting web/")).hasSize(2);
    }

    @Test
    void ejectingAllButThePanicThresholdEntersPanicModeOnce() throws Exception {
        router = RouterFixture.start("""
                services:
                  web:
                    instances: [{address: "%s"}, {address: "%s"}]
                    outlier: {consecutive_failures: 2, error_rate_threshold: 0, base_ejection_time: 30s,
                              max_ejection_percent: 100, panic_threshold: 50}
                    circuit: {enabled: false}
                routes:
                  - {path: /, service: web}
                """.formatted(a.address(), bad.address()));
        bad.behave(Backends.status(503));
        a.behave(Backends.status(503));
        for (int i = 0; i < 20; i++) {
            assertThat(router.get("/p").statusCode()).isEqualTo(503);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.matching("ejected web/")).hasSize(2));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.matching("service web entered panic mode")).hasSize(1));
        // In panic both still get traffic (health ignored), so requests reach a backend.
        int seen = a.requests() + bad.requests();
        router.get("/p");
        assertThat(a.requests() + bad.requests()).isGreaterThan(seen);
    }
}
