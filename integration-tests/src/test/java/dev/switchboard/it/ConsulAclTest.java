package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import dev.switchboard.discovery.consul.testing.ConsulAgentOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An agent with ACLs on and {@code default_policy = "deny"}: a router given a token routes; one
 * without sees nothing (Consul filters results for the anonymous token), serves no route, and its
 * discovery status says ACLs are why.
 */
@ExtendWith(ConsulAgentExtension.class)
@ConsulAgentOptions(acl = true)
class ConsulAclTest {

    @Test
    void aRouterWithTheTokenRoutesAndOneWithoutSaysWhyItCannot(ConsulAgent agent) throws Exception {
        assertThat(agent.aclEnabled()).isTrue();
        Catalog catalog = new Catalog(agent);
        String web = Catalog.unique("web");
        try (Backend b = Backend.start(web)) {
            catalog.register(web, web, b.port(), List.of("urlprefix-/" + web));

            try (Router withToken = Router.start(agent)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> web.equals(withToken.body("/" + web + "/x")));
                assertThat(withToken.switchboard().discovery().status().lastError()).isNull();
            }

            String noToken = Router.yaml(agent, "").replace("  token: \"" + agent.managementToken() + "\"\n", "");
            assertThat(noToken).doesNotContain(agent.managementToken());
            try (Router without = Router.start(noToken)) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> without.switchboard().discovery().status().lastError() != null);
                String error = without.switchboard().discovery().status().lastError();
                System.out.println("router without a token: " + error);
                assertThat(error).contains("ACL");
                assertThat(without.switchboard().routingState().table().isEmpty()).isTrue();
                assertThat(without.get("/" + web + "/x").statusCode()).isEqualTo(404);
            }
        }
    }
}
