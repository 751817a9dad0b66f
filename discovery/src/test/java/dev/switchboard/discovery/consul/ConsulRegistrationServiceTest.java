package dev.switchboard.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation of what is registered, without an agent. */
class ConsulRegistrationServiceTest {

    @Test
    void invalidRegistrationsAreRejectedWithClearMessages() {
        assertThatThrownBy(() -> new ConsulRegistration.Service("r", "r-1", null, 0, List.of(), Map.of(),
                "http://x/health", Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .hasMessage("port: 0 (expected: 1..65535)");
        assertThatThrownBy(() -> new ConsulRegistration.Service("r", "r-1", null, 80, List.of(), Map.of(),
                "http://x/health", Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10)))
                .hasMessage("deregisterCriticalAfter: PT10S (expected: >= PT1M, Consul's minimum)");
        assertThat(ConsulRegistration.goDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(ConsulRegistration.goDuration(Duration.ofMinutes(1))).isEqualTo("60s");
    }
}
