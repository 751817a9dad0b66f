package dev.switchboard.router.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.discovery.consul.ConsulRegistration;
import dev.switchboard.discovery.consul.ConsulSettings;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the router registers as, from config; registering against a real agent is in the integration tests. */
class SelfRegistrationTest {

    private static SwitchboardConfig config(String yaml) throws Exception {
        return ConfigLoader.withEnvironment(Map.of()).parse(yaml);
    }

    @Test
    void theConfiguredAddressIsAdvertisedAndTheCheckPollsTheAdminListenersLive() throws Exception {
        SwitchboardConfig c = config("""
                listen: {address: 0.0.0.0, port: 8080}
                admin: {address: 127.0.0.1, port: 8081}
                consul: {enabled: true, register: {enabled: true, service_name: edge, address: 10.1.2.3}}
                """);

        ConsulRegistration.Service s = SelfRegistration.describe(c, 8080, 8081, "Host-A.example");

        assertThat(s.name()).isEqualTo("edge");
        assertThat(s.id()).isEqualTo("edge-host-a.example-8080");
        assertThat(s.address()).isEqualTo("10.1.2.3");
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.checkUrl()).isEqualTo("http://127.0.0.1:8081/live");
        assertThat(s.deregisterCriticalAfter()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.tags()).isEmpty();
        assertThat(s.meta()).isEmpty();
    }

    @Test
    void withoutAConfiguredAddressANonWildcardListenerAddressIsAdvertised() throws Exception {
        SwitchboardConfig c = config("""
                listen: {address: 192.168.5.6, port: 8080}
                consul: {enabled: true, register: {enabled: true}}
                """);

        ConsulRegistration.Service s = SelfRegistration.describe(c, 8080, 8081, "node1");

        assertThat(s.name()).isEqualTo("switchboard");
        assertThat(s.address()).isEqualTo("192.168.5.6");
        assertThat(s.id()).isEqualTo("switchboard-node1-8080");
    }

    @Test
    void aWildcardListenerAdvertisesTheHostNameAndAWildcardAdminIsCheckedThere() throws Exception {
        SwitchboardConfig c = config("""
                listen: {address: "::", port: 8080}
                admin: {address: 0.0.0.0, port: 9000}
                consul: {enabled: true, register: {enabled: true}}
                """);

        ConsulRegistration.Service s = SelfRegistration.describe(c, 18080, 19000, "node1");

        assertThat(s.address()).isEqualTo("node1");
        assertThat(s.port()).as("the bound port, not the configured one").isEqualTo(18080);
        assertThat(s.checkUrl()).isEqualTo("http://node1:19000/live");
    }

    @Test
    void anIpv6AdminAddressIsBracketedInTheCheckUrl() throws Exception {
        SwitchboardConfig c = config("""
                admin: {address: "::1", port: 8081}
                consul: {enabled: true, register: {enabled: true}}
                """);

        assertThat(SelfRegistration.describe(c, 8080, 8081, "n").checkUrl()).isEqualTo("http://[::1]:8081/live");
    }

    @Test
    void twoRoutersOnOneHostGetDifferentIds() throws Exception {
        SwitchboardConfig c = config("consul: {enabled: true, register: {enabled: true}}\n");

        assertThat(SelfRegistration.describe(c, 8080, 8081, "n").id())
                .isNotEqualTo(SelfRegistration.describe(c, 8090, 8091, "n").id());
    }

    @Test
    void registeringWithoutAnAdminListenerIsRefusedSayingWhy() {
        // Refused when the config is loaded, before anything starts.
        assertThatThrownBy(() -> config("""
                admin: {enabled: false}
                consul: {enabled: true, register: {enabled: true}}
                """))
                .isInstanceOf(dev.switchboard.router.config.ConfigException.class)
                .hasMessage("consul.register.enabled: true (expected: admin.enabled: true, whose /live endpoint is the"
                        + " registration's health check)");
    }

    @Test
    void deregisterBeforeRegisterDoesNotCallConsul() throws Exception {
        SwitchboardConfig c = config("consul: {enabled: true, register: {enabled: true}}\n");
        // nothing listens on port 1: any request would fail and be logged; none is made
        try (SelfRegistration r = new SelfRegistration(SelfRegistration.describe(c, 8080, 8081, "n"),
                ConsulSettings.builder().address("127.0.0.1:1").build())) {
            r.deregister();
            assertThat(r.registered()).isFalse();
        }
    }
}
