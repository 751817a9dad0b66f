package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import dev.switchboard.router.runtime.ConsulConfigSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two routers share one config through a real Consul KV key: a valid value is applied by both, an
 * invalid one is rejected by both while they keep serving the last good one, and deleting the key
 * takes both back to their file's config.
 */
@ExtendWith(ConsulAgentExtension.class)
class ConsulKvConfigTest {

    @Test
    void routersSharingAKvKeyFollowItKeepTheLastGoodValueAndFallBackToTheFile(ConsulAgent agent) throws Exception {
        Catalog catalog = new Catalog(agent);
        String web = Catalog.unique("web");
        String key = "switchboard/" + Catalog.unique("config");
        String file = Router.yaml(agent, "  config_key: \"" + key + "\"\n");
        try (Backend b = Backend.start(web); Router r1 = Router.start(file); Router r2 = Router.start(file);
                ConsulConfigSource s1 = source(r1, agent, key); ConsulConfigSource s2 = source(r2, agent, key)) {
            catalog.register(web, web, b.port(), List.of("urlprefix-/" + web));
            await().atMost(Duration.ofSeconds(10)).until(() -> web.equals(r1.body("/" + web + "/x"))
                    && web.equals(r2.body("/" + web + "/x")));
            assertThat(s1.awaitFirstValue(Duration.ofSeconds(10))).isTrue();
            assertThat(s2.awaitFirstValue(Duration.ofSeconds(10))).isTrue();
            assertThat(r1.body("/shared/x")).isNull();

            agent.http("PUT", "/v1/kv/" + key, "routes:\n  - {path: /shared, service: " + web + "}\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> web.equals(r1.body("/shared/x"))
                    && web.equals(r2.body("/shared/x")));
            assertThat(s1.appliedFromKv()).isTrue();

            agent.http("PUT", "/v1/kv/" + key, "routes:\n  - {path: /shared, service: " + web + ", bogus: 1}\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> s1.lastError() != null && s2.lastError() != null);
            assertThat(s1.lastError()).contains("bogus");
            assertThat(r1.body("/shared/x")).isEqualTo(web);
            assertThat(r2.body("/shared/x")).isEqualTo(web);

            agent.http("DELETE", "/v1/kv/" + key, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> r1.get("/shared/x").statusCode() == 404
                    && r2.get("/shared/x").statusCode() == 404);
            assertThat(s1.appliedFromKv()).isFalse();
            assertThat(s1.lastError()).isNull();
            assertThat(r1.body("/" + web + "/x")).as("Consul-tagged routes are untouched").isEqualTo(web);
        } finally {
            catalog.deregister(web);
        }
    }

    private static ConsulConfigSource source(Router router, ConsulAgent agent, String key) {
        // the agent's fast test pacing; production uses ConsulConfigSource.create(switchboard, fileText, loader)
        ConsulConfigSource s = new ConsulConfigSource(router.switchboard(), router.yaml(), Router.LOADER,
                agent.settings().build(), key);
        s.start();
        return s;
    }
}
