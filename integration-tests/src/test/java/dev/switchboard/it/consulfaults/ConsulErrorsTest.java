package dev.switchboard.it.consulfaults;

import static dev.switchboard.it.consulfaults.RouterView.catalogIds;
import static dev.switchboard.it.consulfaults.RouterView.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.DiscoveryStatus;
import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import dev.switchboard.it.Backend;
import dev.switchboard.it.Load;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Consul answers every request with HTTP 500 for a while (5 s; 30 s with
 * {@code -Dswitchboard.faults.full=true}, past the 30 s backoff cap) while the router is under
 * steady load: no request fails, the routes stay exactly as they were, the discovery status names
 * the error, and an instance registered during the fault is routed once Consul answers again.
 */
@ExtendWith(ConsulAgentExtension.class)
class ConsulErrorsTest {

    private static final Duration FAULT = RouterView.FULL ? Duration.ofSeconds(30) : Duration.ofSeconds(5);

    @Test
    void consulAnswering500sCostsNoRequestAndAChangeMadeDuringTheFaultIsRoutedAfterIt(ConsulAgent agent)
            throws Exception {
        try (ProxiedService web = ProxiedService.start(agent, "web", 3, 2)) {
            ProxiedService.Routing before = web.routing();
            Backend late = web.backend(2);
            Load load = Load.start(web.router(), web.path(), 8, FAULT.plusSeconds(60));
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> load.ok() > 100);
                long faultAt = System.nanoTime();
                long okAtFault = load.ok();
                web.proxy().answer500();
                web.register(late);
                await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(
                        web.router().switchboard().discovery().status().lastError()).contains("HTTP 500 fault injected"));
                DiscoveryStatus during = web.router().switchboard().discovery().status();
                // for the rest of the fault: the router still routes exactly as before the fault
                await().during(RouterView.remaining(FAULT, faultAt)).atMost(FAULT.plusSeconds(2))
                        .until(() -> web.current().equals(before));
                long servedDuringFault = load.ok() - okAtFault;
                web.proxy().pass();
                long passAt = System.nanoTime();
                // a watch that backed off retries within its backoff (30 s cap)
                await().atMost(Duration.ofSeconds(35)).until(() -> late.hits() > 0);
                double routedAfterMs = millisSince(passAt);
                await().atMost(Duration.ofSeconds(35))
                        .until(() -> web.router().switchboard().discovery().status().lastError() == null);
                double clearedAfterMs = millisSince(passAt);
                load.close();

                System.out.printf("consul 500s for %d s: %s; %s; the instance registered during the fault routed"
                                + " %.0f ms after the fault ended, status clear after %.0f ms; %d served during the fault;"
                                + " status during: %s%n",
                        FAULT.toSeconds(), load.summary(), web.proxy().stats(), routedAfterMs, clearedAfterMs,
                        servedDuringFault, during.lastError());
                assertThat(web.proxy().answered500()).isPositive();
                assertThat(during.lastErrorAt()).isNotNull();
                assertThat(servedDuringFault).isGreaterThan(100);
                assertThat(catalogIds(web.router(), web.name())).hasSize(3);
                assertThat(load.errors()).as("client-visible errors: %s", load.reasons()).isZero();
            } finally {
                load.close();
                web.proxy().pass();
            }
        }
    }
}
