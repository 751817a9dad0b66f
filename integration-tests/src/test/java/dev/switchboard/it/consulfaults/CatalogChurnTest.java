package dev.switchboard.it.consulfaults;

import static dev.switchboard.it.consulfaults.RouterView.backendIds;
import static dev.switchboard.it.consulfaults.RouterView.catalogIds;
import static dev.switchboard.it.consulfaults.RouterView.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.ServiceSnapshot;
import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import dev.switchboard.it.Backend;
import dev.switchboard.it.Catalog;
import dev.switchboard.it.Load;
import dev.switchboard.it.Router;
import dev.switchboard.router.table.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A routed service churns under steady load: every 100 ms one of its churning instances registers
 * or deregisters, while three stable instances stay. Churned instances are real, running backends
 * (deregistered, never killed), so every request must succeed. Runs 5 s; one minute with
 * {@code -Dswitchboard.faults.full=true}. Reports how many catalog changes were made and how many
 * distinct instance sets the router applied; at the end the router's view equals Consul's.
 */
@ExtendWith(ConsulAgentExtension.class)
class CatalogChurnTest {

    private static final Duration CHURN = RouterView.FULL ? Duration.ofMinutes(1) : Duration.ofSeconds(5);
    private static final int STABLE = 3;
    private static final int CHURNING = 4;

    @Test
    void instancesRegisteringAndDeregisteringEvery100msCostNoRequest(ConsulAgent agent) throws Exception {
        Catalog catalog = new Catalog(agent);
        String web = Catalog.unique("churn");
        List<String> tags = List.of("urlprefix-/" + web);
        List<Backend> stable = new ArrayList<>();
        List<Backend> churning = new ArrayList<>();
        ScheduledExecutorService churner = Executors.newSingleThreadScheduledExecutor();
        try (Router router = Router.start(agent)) {
            for (int i = 0; i < STABLE; i++) {
                Backend b = Backend.start(web + "-stable-" + i);
                stable.add(b);
                catalog.register(web, b.name(), b.port(), tags);
            }
            for (int i = 0; i < CHURNING; i++) {
                churning.add(Backend.start(web + "-churn-" + i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> catalogIds(router, web).size() == STABLE);

            // every distinct instance set of the service the router is handed
            AtomicLong applied = new AtomicLong();
            AtomicReference<Set<String>> lastSet = new AtomicReference<>(Set.of());
            router.switchboard().discovery().addListener(snapshot -> {
                Set<String> ids = ids(snapshot, web);
                if (!ids.equals(lastSet.getAndSet(ids))) {
                    applied.incrementAndGet();
                }
            });
            long appliedBefore = applied.get();

            Load load = Load.start(router, "/" + web + "/x", 8, CHURN.plusSeconds(60));
            AtomicLong changes = new AtomicLong();
            boolean[] registered = new boolean[CHURNING];
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> load.ok() > 100);
                long t0 = System.nanoTime();
                var ticks = churner.scheduleAtFixedRate(() -> {
                    int i = (int) (changes.get() % CHURNING);
                    Backend b = churning.get(i);
                    if (registered[i]) {
                        catalog.deregister(b.name());
                    } else {
                        catalog.register(web, b.name(), b.port(), tags);
                    }
                    registered[i] = !registered[i];
                    changes.incrementAndGet();
                }, 0, 100, TimeUnit.MILLISECONDS);
                long planned = CHURN.toMillis() / 100;
                await().atMost(CHURN.multipliedBy(2)).until(() -> changes.get() >= planned);
                ticks.cancel(false);
                churner.shutdown();
                assertThat(churner.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                double churnMs = millisSince(t0);

                long stoppedAt = System.nanoTime();
                TreeSet<String> truth = new RawCatalog(agent).passing(web);
                await().atMost(Duration.ofSeconds(15)).until(() -> catalogIds(router, web).equals(truth));
                RouterView.barrier(router);
                double settledMs = millisSince(stoppedAt);
                load.close();

                long churnHits = churning.stream().mapToLong(Backend::hits).sum();
                System.out.printf("catalog churn %.1f s: %s; %d catalog changes, the router applied %d distinct"
                                + " instance sets; equal to the catalog %.0f ms after the churn stopped;"
                                + " %d requests went to churning instances%n", churnMs / 1000, load.summary(),
                        changes.get(), applied.get() - appliedBefore, settledMs, churnHits);

                assertThat(backendIds(router, web)).as("the router's backends").isEqualTo(truth);
                List<Route> routes = router.switchboard().routingState().table().routes().stream()
                        .filter(r -> r.pathPrefix().equals("/" + web)).toList();
                assertThat(routes).hasSize(1);
                assertThat(routes.get(0).targets()).singleElement().satisfies(t -> assertThat(t.allInstances()
                        ? truth : new TreeSet<>(t.instances().stream().map(Object::toString).toList()))
                        .isEqualTo(truth));
                assertThat(applied.get() - appliedBefore).as("the router followed the churn").isGreaterThan(1);
                assertThat(churnHits).as("churned instances served while registered").isPositive();
                assertThat(load.errors()).as("client-visible errors: %s", load.reasons()).isZero();
            } finally {
                load.close();
                churner.shutdownNow();
            }
        } finally {
            stable.forEach(Backend::close);
            churning.forEach(Backend::close);
        }
    }

    private static Set<String> ids(CatalogSnapshot snapshot, String service) {
        ServiceSnapshot s = snapshot.service(service);
        Set<String> ids = new TreeSet<>();
        if (s != null) {
            s.instances().forEach(i -> ids.add(i.id().toString()));
        }
        return ids;
    }
}
