package dev.switchboard.it.consulfaults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import dev.switchboard.it.Backend;
import dev.switchboard.it.Catalog;
import dev.switchboard.it.Router;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A router whose routes come from Consul tags answers its very first request with the routed
 * backend, not 404, even when Consul is slow to give the first catalog (every answer held 1 s
 * here): it accepts only once that catalog is in.
 */
@ExtendWith(ConsulAgentExtension.class)
class FirstCatalogBeforeAcceptingTest {

    @Test
    void theFirstRequestAfterStartIsRoutedByConsulTags(ConsulAgent agent) throws Exception {
        Catalog catalog = new Catalog(agent);
        String svc = Catalog.unique("early");
        try (Backend b = Backend.start(svc + "-1"); ConsulFaultProxy proxy = ConsulFaultProxy.start(agent.httpAddress())) {
            catalog.register(svc, svc + "-1", b.port(), List.of("urlprefix-/" + svc));
            proxy.delay(Duration.ofSeconds(1));
            long t0 = System.nanoTime();
            try (Router router = Router.start(Router.yaml(proxy.address(), agent.managementToken(), "10s", ""))) {
                System.out.printf("start with a 1 s Consul: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                var r = router.get("/" + svc + "/x");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.body()).contains(b.name());
            }
        } finally {
            catalog.deregister(svc + "-1");
        }
    }
}
