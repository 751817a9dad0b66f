package dev.switchboard.router.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Config objects end up in logs and admin pages: their text form never contains a token. */
class SecretRedactionTest {

    private static final String ADMIN_SECRET = "admin-secret-0123456789";
    private static final String CONSUL_SECRET = "consul-secret-9876543210";

    @Test
    void adminTokenIsRedacted() {
        AdminConfig admin = new AdminConfig(true, "127.0.0.1", 8081, ADMIN_SECRET, false);

        assertThat(admin.toString()).doesNotContain(ADMIN_SECRET)
                .isEqualTo("AdminConfig[enabled=true, address=127.0.0.1, port=8081, token=<redacted>, jmx=false]");
        assertThat(AdminConfig.DEFAULT.toString()).contains("token=null");
    }

    @Test
    void consulTokenIsRedactedAndTheOtherFieldsShown() {
        ConsulConfig consul = new ConsulConfig(true, "consul:8500", CONSUL_SECRET, "dc1", null, Duration.ofSeconds(30),
                null, null, null, null, "kv/key", null);

        assertThat(consul.toString()).doesNotContain(CONSUL_SECRET)
                .contains("token=<redacted>", "address=consul:8500", "datacenter=dc1", "waitTime=PT30S", "configKey=kv/key");
        assertThat(ConsulConfig.DEFAULT.toString()).contains("token=null");
    }

    @Test
    void wholeConfigTextHidesBothTokens() throws Exception {
        SwitchboardConfig c = ConfigLoader.withEnvironment(Map.of("CONSUL_HTTP_TOKEN", CONSUL_SECRET))
                .parse("admin: {token: " + ADMIN_SECRET + "}\nconsul: {enabled: true}\n");

        assertThat(c.admin().token()).isEqualTo(ADMIN_SECRET);
        assertThat(c.consul().token()).isEqualTo(CONSUL_SECRET);
        assertThat(c.toString()).doesNotContain(ADMIN_SECRET).doesNotContain(CONSUL_SECRET);
    }
}
