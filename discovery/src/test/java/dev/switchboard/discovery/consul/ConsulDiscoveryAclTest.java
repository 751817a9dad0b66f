package dev.switchboard.discovery.consul;

import dev.switchboard.discovery.consul.testing.TestServices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.DiscoveryStatus;
import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import dev.switchboard.discovery.consul.testing.ConsulAgentOptions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An agent with ACLs on and default deny: the token makes discovery work; without it the status says why not. */
@ExtendWith(ConsulAgentExtension.class)
@ConsulAgentOptions(acl = true)
class ConsulDiscoveryAclTest {

    @Test
    void withTheTokenServicesAreDiscovered(ConsulAgent agent) throws Exception {
        assertThat(agent.aclEnabled()).isTrue();
        TestServices services = new TestServices(agent);
        String web = TestServices.unique("web");
        services.register(web, web + "-1", 8001);
        try (ConsulDiscovery d = new ConsulDiscovery(agent.settings().build())) {
            d.start();
            d.whenReady().toCompletableFuture().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> d.current().service(web) != null
                    && d.current().service(web).instances().size() == 1);
            assertThat(d.status().lastError()).isNull();
        } finally {
            services.deregister(web + "-1");
        }
    }

    @Test
    void withoutATokenTheStatusSaysResultsAreHiddenByAcls(ConsulAgent agent) throws Exception {
        TestServices services = new TestServices(agent);
        String web = TestServices.unique("web");
        services.register(web, web + "-1", 8001);
        try (ConsulDiscovery d = new ConsulDiscovery(agent.settings().token(null).build())) {
            d.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> d.status().lastError() != null);
            DiscoveryStatus s = d.status();
            assertThat(s.lastError()).contains("ACL");
            assertThat(d.current().service(web)).isNull();
        } finally {
            services.deregister(web + "-1");
        }
    }

    @Test
    void aWrongTokenIsAnErrorNamingTheRequest(ConsulAgent agent) throws Exception {
        String wanted = TestServices.unique("wanted");
        try (ConsulDiscovery d = new ConsulDiscovery(agent.settings().token("00000000-0000-0000-0000-000000000001")
                .wantedServices(Set.of(wanted)).build())) {
            d.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> d.status().lastError() != null);
            assertThat(d.status().lastError()).startsWith("GET /v1/").contains("HTTP 403").contains("ACL not found");
            assertThat(d.status().lastError()).doesNotContain("00000000-0000-0000-0000-000000000001");
            assertThat(d.status().ready()).isFalse();
        }
    }
}
