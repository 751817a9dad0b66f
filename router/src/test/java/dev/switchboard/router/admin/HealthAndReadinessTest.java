package dev.switchboard.router.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.TestBackend;
import org.junit.jupiter.api.Test;

/** /live, /ready, /admin/healthcheck, /admin/ping and the dashboard page on the admin listener. */
class HealthAndReadinessTest {

    @Test
    void liveReadyAndHealthchecksReportTheRouter() throws Exception {
        try (TestBackend b = TestBackend.start("b");
             AdminFixture fx = AdminFixture.start("services: {web: {instances: [{address: \"" + b.address() + "\"}]}}\n"
                     + "routes: [{name: web, path: /, service: web}]\n")) {
            assertThat(fx.get("/live").statusCode()).isEqualTo(200);
            assertThat(fx.get("/ready").statusCode()).isEqualTo(200);
            assertThat(fx.get("/admin/ping").body().trim()).isEqualTo("pong");
            var health = fx.get("/admin/healthcheck");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            var json = AdminFixture.json(health);
            assertThat(json.get("discovery").get("healthy").asBoolean()).isTrue();
            assertThat(json.get("routes").get("message").asText()).contains("1 route(s)");
            assertThat(json.get("io-threads").get("healthy").asBoolean()).isTrue();
            assertThat(json.get("config-reload").get("healthy").asBoolean()).isTrue();
            assertThat(fx.get("/admin/metrics").body()).contains("switchboard.proxy.in_flight");
            assertThat(fx.get("/").body()).contains("<title>Switchboard</title>");
            assertThat(fx.get("/dashboard.js").statusCode()).isEqualTo(200);
            assertThat(fx.get("/nothing-here").statusCode()).isEqualTo(404);

            fx.launcher.switchboard().server().drain(java.time.Duration.ZERO);
            var ready = fx.get("/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("draining");
            assertThat(fx.get("/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void healthcheckFailsWithoutRoutes() throws Exception {
        try (AdminFixture fx = AdminFixture.start("services: {}\n")) {
            var health = fx.get("/admin/healthcheck");
            assertThat(health.statusCode()).isEqualTo(500);
            assertThat(AdminFixture.json(health).get("routes").get("message").asText()).contains("no routes loaded");
            assertThat(fx.get("/ready").statusCode()).isEqualTo(200);
        }
    }
}
