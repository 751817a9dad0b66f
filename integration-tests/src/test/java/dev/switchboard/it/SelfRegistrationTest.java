package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import dev.switchboard.router.runtime.SelfRegistration;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The router registers itself in a real Consul with an HTTP check on the admin listener's
 * {@code /live} (a stand-in server here), the check passes, and after shutdown (drain first) it is
 * deregistered.
 */
@ExtendWith(ConsulAgentExtension.class)
class SelfRegistrationTest {

    @Test
    void registersWithAPassingCheckAndDeregistersAfterDraining(ConsulAgent agent) throws Exception {
        HttpServer live = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        live.createContext("/live", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        live.start();
        int adminPort = live.getAddress().getPort();
        String yaml = Router.yaml(agent, "  register: {enabled: true, service_name: edge}\n")
                .replace("admin: {enabled: false}", "admin: {address: 127.0.0.1, port: " + adminPort + "}");
        Router router = Router.start(yaml);
        SelfRegistration registration = SelfRegistration.create(router.switchboard(), adminPort);
        try {
            registration.register();
            String id = registration.service().id();
            assertThat(id).startsWith("edge-").endsWith("-" + router.switchboard().port());

            // the agent runs the HTTP check within one interval (5 s) of registering
            await().atMost(Duration.ofSeconds(15)).until(() -> passing("edge", agent).size() == 1);
            JsonObject service = passing("edge", agent).get(0).getAsJsonObject().getAsJsonObject("Service");
            assertThat(service.get("ID").getAsString()).isEqualTo(id);
            assertThat(service.get("Address").getAsString()).isEqualTo("127.0.0.1");
            assertThat(service.get("Port").getAsInt()).isEqualTo(router.switchboard().port());

            router.switchboard().shutdown();
            registration.deregister();
            assertThat(agent.http("GET", "/v1/agent/services", null)).doesNotContain(id);
            assertThat(registration.registered()).isFalse();
        } finally {
            registration.close();
            router.close();
            live.stop(0);
        }
    }

    private static JsonArray passing(String service, ConsulAgent agent) {
        return JsonParser.parseString(agent.http("GET", "/v1/health/service/" + service + "?passing=true", null))
                .getAsJsonArray();
    }
}
