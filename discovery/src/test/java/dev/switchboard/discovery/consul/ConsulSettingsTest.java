package dev.switchboard.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsulSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        ConsulSettings s = ConsulSettings.builder().build();
        assertThat(s.baseUrl()).isEqualTo("http://127.0.0.1:8500");
        assertThat(s.waitTime()).isEqualTo(Duration.ofSeconds(55));
        assertThat(s.staleReads()).isTrue();
        assertThat(s.includeWarning()).isFalse();
        assertThat(s.watchAll()).isFalse();
        assertThat(s.token()).isNull();
    }

    @Test
    void addressForms() {
        assertThat(ConsulSettings.baseUrl("consul:8500")).isEqualTo("http://consul:8500");
        assertThat(ConsulSettings.baseUrl("https://consul.example")).isEqualTo("https://consul.example:8501");
        assertThat(ConsulSettings.baseUrl("http://10.0.0.1:9500/")).isEqualTo("http://10.0.0.1:9500");
        assertThatThrownBy(() -> ConsulSettings.builder().address("ftp://x:1").build())
                .hasMessage("address: ftp://x:1 (expected: host:port or http(s)://host:port)");
        assertThatThrownBy(() -> ConsulSettings.builder().address("http://x:1/v1").build())
                .hasMessageContaining("expected: host:port or http(s)://host:port");
    }

    @Test
    void environmentVariables() {
        ConsulSettings s = ConsulSettings.fromEnvironment(Map.of("CONSUL_HTTP_ADDR", "10.0.0.5:8501",
                "CONSUL_HTTP_SSL", "true", "CONSUL_HTTP_TOKEN", "secret-token", "CONSUL_DATACENTER", "dc2",
                "CONSUL_CACERT", "/etc/consul/ca.pem")).build();
        assertThat(s.baseUrl()).isEqualTo("https://10.0.0.5:8501");
        assertThat(s.token()).isEqualTo("secret-token");
        assertThat(s.datacenter()).isEqualTo("dc2");
        assertThat(s.caFile()).isEqualTo(Path.of("/etc/consul/ca.pem"));
        assertThat(s.toString()).doesNotContain("secret-token").contains("token=<redacted>");
    }

    @Test
    void validationNamesFieldValueAndExpectation() {
        assertThatThrownBy(() -> ConsulSettings.builder().waitTime(Duration.ofMinutes(20)).build())
                .hasMessage("waitTime: PT20M (expected: PT1S .. PT5M)");
        assertThatThrownBy(() -> ConsulSettings.builder().retryMin(Duration.ofSeconds(5))
                .retryMax(Duration.ofSeconds(1)).build())
                .hasMessage("retryMax: PT1S (expected: PT5S .. PT1H)");
    }
}
