package dev.switchboard.it.consulfaults;

import static dev.switchboard.it.consulfaults.RouterView.backendIds;
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
 * the error, and an instance registered during the fault is routed once Consul answers again:
 * within {@link #CATCH_UP} of the first answer, because the first watch answered again brings
 * the others out of their backoff (which the second test pins down).
 */
@ExtendWith(ConsulAgentExtension.class)
class ConsulErrorsTest {

    private static final Duration FAULT = RouterView.FULL ? Duration.ofSeconds(30) : Duration.ofSeconds(5);
    /**
     * Far below the 30 s backoff cap, and below the shortest backoff the second test leaves the service
     * watch in (15 s). About 2.5 s is expected (2 s scout interval, jitter, fetch, publish, rebuild);
     * 10 s leaves room for a busy machine (CPU steal, GC pauses).
     */
    private static final Duration CATCH_UP = Duration.ofSeconds(10);
    /**
     * Consecutive failures of the service watch in the second test. The router backs off from
     * 500 ms to 30 s: the n-th failure waits d/2..d, d = min(30 s, 500 ms * 2^(n-1)), so after the
     * 6th the next retry is 8..16 s away, after the 7th 15..30 s: above {@link #CATCH_UP}.
     */
    private static final int DEEP = 7;

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
                // the group's scout asks at least every 2 s whatever its backoff; the others follow it
                await().atMost(Duration.ofSeconds(35)).until(() -> late.hits() > 0);
                double routedAfterMs = millisSince(passAt);
                long answeredAt = web.proxy().firstAnswerSinceSwitch();
                double caughtUpMs = answeredAt == 0 ? Double.NaN : millisSince(answeredAt);
                await().atMost(Duration.ofSeconds(35))
                        .until(() -> web.router().switchboard().discovery().status().lastError() == null);
                double clearedAfterMs = millisSince(passAt);
                load.close();

                System.out.printf("consul 500s for %d s: %s; %s; the instance registered during the fault routed"
                                + " %.0f ms after the fault ended (%.0f ms after Consul's first answer), status clear"
                                + " after %.0f ms; %d served during the fault; status during: %s%n",
                        FAULT.toSeconds(), load.summary(), web.proxy().stats(), routedAfterMs, caughtUpMs,
                        clearedAfterMs, servedDuringFault, during.lastError());
                assertThat(web.proxy().answered500()).isPositive();
                assertThat(caughtUpMs).as("routed after Consul's first answer, ms").isLessThan(CATCH_UP.toMillis());
                // the backoffs had grown to 4..8 s (15..30 s in the full form, which CATCH_UP rules out);
                // the scout asks within 2 s. The second test pins down the wake below a 15 s backoff.
                assertThat(routedAfterMs).as("routed after the fault ended, ms").isLessThan(CATCH_UP.toMillis());
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

    /**
     * One watch deep in its backoff, another answered after failures: Consul answers 500 to the
     * service's health endpoint until that watch has failed {@link #DEEP} times in a row (its backoff
     * is then at least 15 s; being the only watch backing off, it is also the
     * group's scout and asks again within 2 s), then once to the service list's blocking query, then
     * not again. The list watch is answered after a first-step backoff (at most 500 ms), and the
     * service watch retries right behind it: the instance registered during the fault becomes a
     * backend within {@link #CATCH_UP}.
     */
    @Test
    void aWatchAnsweredAfterFailuresBringsTheOthersOutOfTheirBackoff(ConsulAgent agent) throws Exception {
        try (ProxiedService web = ProxiedService.start(agent, "web", 3, 2)) {
            ConsulFaultProxy proxy = web.proxy();
            Backend late = web.backend(2);
            long faultAt = System.nanoTime();
            proxy.answer500("/v1/health/service/" + web.name());
            web.register(late);
            await().atMost(Duration.ofSeconds(90)).until(() -> proxy.answered500() >= DEEP);
            long deep = proxy.answered500();
            double deepAfterMs = millisSince(faultAt);
            proxy.answer500("/v1/catalog/services"); // fails the list watch's blocking query in flight, or its next one
            await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(5))
                    .until(() -> proxy.answered500() > deep);
            proxy.pass();
            long passAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(40)).until(() -> backendIds(web.router(), web.name()).stream()
                    .anyMatch(id -> id.endsWith("/" + late.name())));
            double routedAfterMs = millisSince(passAt);

            System.out.printf("consul 500s to the service's watch until it failed %d times in a row (%.0f ms): the"
                            + " instance registered meanwhile became a backend %.0f ms after the list watch's one 500"
                            + " (the service watch's own backoff was at least %d s); %s%n",
                    deep, deepAfterMs, routedAfterMs, 15, proxy.stats());
            assertThat(deep).isEqualTo(DEEP);
            assertThat(routedAfterMs).as("routed after the list watch's fault ended, ms")
                    .isLessThan(CATCH_UP.toMillis());
        }
    }
}
