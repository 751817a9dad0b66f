package dev.switchboard.router.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.health.HealthEvents;
import org.junit.jupiter.api.Test;

class ServiceStateTest {

    /** The metric and the API field count every refusal at once, not only those the rate-limited log reported. */
    @Test
    void everyRefusedRetryIsCountedAtOnce() throws Exception {
        var config = new ConfigLoader().parse("""
                services:
                  s:
                    instances: [{address: "127.0.0.1:1"}]
                    retry: {budget_ratio: 0.1, budget_min_per_second: 1}
                routes:
                  - {path: /, service: s}
                """).services().get("s");
        ServiceState state = new ServiceState("s", config, HealthEvents.NONE);
        long now = System.nanoTime();
        int refused = 0;
        for (int i = 0; i < 50; i++) {
            state.retryBudget().onRequest(now);
            if (!state.retryBudget().tryRetry(now)) {
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(10);
        assertThat(state.budgetExhausted()).isEqualTo(refused);
    }
}
