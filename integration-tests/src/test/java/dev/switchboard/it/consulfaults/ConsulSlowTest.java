package dev.switchboard.it.consulfaults;

import static dev.switchboard.it.consulfaults.RouterView.catalogIds;
import static dev.switchboard.it.consulfaults.RouterView.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import dev.switchboard.it.Load;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Consul answers slowly (every answer held 2 s) or not at all (requests accepted and held for 4 s)
 * while the router is under steady load: no request fails, the router routes from the last catalog
 * it has, and changes arrive once answers do. The router's blocking-query wait is 2 s, so its read
 * timeout is 2 s + 2 s / 8 + 15 s; with {@code -Dswitchboard.faults.full=true} the hang lasts
 * 25 s, past that timeout, and the discovery status must then show it.
 */
@ExtendWith(ConsulAgentExtension.class)
class ConsulSlowTest {

    private static final Duration DELAY = Duration.ofSeconds(2);
    private static final Duration HANG = RouterView.FULL ? Duration.ofSeconds(25) : Duration.ofSeconds(4);

    @Test
    void everyAnswerDelayedCostsNoRequestAndChangesArriveLateThenPromptly(ConsulAgent agent) throws Exception {
        try (ProxiedService web = ProxiedService.start(agent, "slow", 4, 2)) {
            Load load = Load.start(web.router(), web.path(), 8, Duration.ofSeconds(60));
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> load.ok() > 100);
                web.proxy().delay(DELAY);
                long t0 = System.nanoTime();
                web.register(web.backend(2));
                await().atMost(Duration.ofSeconds(20)).until(() -> web.backend(2).hits() > 0);
                double slowMs = millisSince(t0);

                web.proxy().pass();
                // answers already held finish their delay; then the next change is routed at normal speed
                await().atMost(DELAY.plusSeconds(5)).until(() -> web.proxy().answersBeingDelayed() == 0);
                long t1 = System.nanoTime();
                web.register(web.backend(3));
                await().atMost(Duration.ofSeconds(20)).until(() -> web.backend(3).hits() > 0);
                double fastMs = millisSince(t1);
                load.close();

                System.out.printf("consul answers delayed %d ms: %s; %s; registration routed after %.0f ms while"
                                + " slow, %.0f ms once fast again%n", DELAY.toMillis(), load.summary(),
                        web.proxy().stats(), slowMs, fastMs);
                // every answer that could carry the registration was held DELAY after it was made
                assertThat(slowMs).isGreaterThanOrEqualTo(DELAY.toMillis());
                assertThat(web.proxy().delayedAnswers()).isPositive();
                assertThat(load.errors()).as("client-visible errors: %s", load.reasons()).isZero();
            } finally {
                load.close();
            }
        }
    }

    @Test
    void consulHangingCostsNoRequestAndChangesArriveWhenItAnswersAgain(ConsulAgent agent) throws Exception {
        try (ProxiedService web = ProxiedService.start(agent, "hang", 3, 2)) {
            ProxiedService.Routing before = web.routing();
            Load load = Load.start(web.router(), web.path(), 8, HANG.plusSeconds(60));
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> load.ok() > 100);
                long hungAt = System.nanoTime();
                long okAtHang = load.ok();
                web.proxy().hang();
                // one instance leaves the catalog (still running), one joins: the router cannot know while Consul hangs
                web.deregister(web.backend(0));
                web.register(web.backend(2));
                await().during(RouterView.remaining(HANG, hungAt)).atMost(HANG.plusSeconds(2))
                        .until(() -> web.current().equals(before));
                String statusAtEnd = String.valueOf(web.router().switchboard().discovery().status().lastError());
                long servedWhileHung = load.ok() - okAtHang;
                web.proxy().pass();
                long passAt = System.nanoTime();
                Set<String> after = new RawCatalog(agent).passing(web.name());
                assertThat(after).hasSize(2).isNotEqualTo(before.instances());
                await().atMost(Duration.ofSeconds(35)).until(() -> web.backend(2).hits() > 0
                        && catalogIds(web.router(), web.name()).equals(after));
                double caughtUpMs = millisSince(passAt);
                load.close();

                System.out.printf("consul hanging %d s: %s; %s; %d served while hung; caught up %.0f ms after it"
                                + " answered again; status at the end of the hang: %s%n", HANG.toSeconds(),
                        load.summary(), web.proxy().stats(), servedWhileHung, caughtUpMs, statusAtEnd);
                assertThat(web.proxy().heldByHang()).isPositive();
                assertThat(servedWhileHung).isGreaterThan(100);
                if (RouterView.FULL) {
                    assertThat(statusAtEnd).as("a hang past the read timeout shows in the status").contains("timed out");
                }
                assertThat(load.errors()).as("client-visible errors: %s", load.reasons()).isZero();
            } finally {
                load.close();
                web.proxy().pass();
            }
        }
    }
}
