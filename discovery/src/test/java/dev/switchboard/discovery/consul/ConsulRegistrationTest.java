package dev.switchboard.discovery.consul;

import dev.switchboard.discovery.consul.testing.TestServices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.discovery.InstanceHealth;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Registration with an HTTP check that Consul really polls, seen through our own discovery. */
@ExtendWith(ConsulAgentExtension.class)
class ConsulRegistrationTest {

    @Test
    void registeredServiceIsCheckedOverHttpAndDeregistered(ConsulAgent agent) throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        HttpServer health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        health.createContext("/health", ex -> {
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        health.start();
        String name = TestServices.unique("router");
        ConsulRegistration.Service service = new ConsulRegistration.Service(name, name + "-1", "127.0.0.1",
                health.getAddress().getPort(), List.of("switchboard"), Map.of("version", "test"),
                "http://127.0.0.1:" + health.getAddress().getPort() + "/health", Duration.ofMillis(200),
                Duration.ofSeconds(1), Duration.ofMinutes(1));
        try (ConsulRegistration registration = new ConsulRegistration(agent.settings().build());
             ConsulDiscovery d = new ConsulDiscovery(agent.settings().build())) {
            d.start();
            registration.register(service);
            await().atMost(Duration.ofSeconds(10)).until(() -> d.current().service(name) != null
                    && d.current().service(name).routable().size() == 1);
            ServiceInstance i = d.current().service(name).routable().get(0);
            assertThat(i.health()).isEqualTo(InstanceHealth.PASSING);
            assertThat(i.meta()).containsEntry("version", "test");
            assertThat(i.port()).isEqualTo(health.getAddress().getPort());

            status.set(500);
            await().atMost(Duration.ofSeconds(10)).until(() -> d.current().service(name).routable().isEmpty());
            assertThat(d.current().service(name).instances()).extracting(ServiceInstance::health)
                    .containsExactly(InstanceHealth.CRITICAL);
            status.set(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> d.current().service(name).routable().size() == 1);

            registration.deregister(name + "-1");
            await().atMost(Duration.ofSeconds(10)).until(() -> d.current().service(name) == null);
        } finally {
            health.stop(0);
        }
    }
}
