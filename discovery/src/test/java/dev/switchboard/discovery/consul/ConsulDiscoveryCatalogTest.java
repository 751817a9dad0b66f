package dev.switchboard.discovery.consul;

import dev.switchboard.discovery.consul.testing.TestServices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.InstanceHealth;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.discovery.ServiceSnapshot;
import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a real agent's catalog becomes in our snapshots: membership, health, addresses, weights, maintenance. */
@ExtendWith(ConsulAgentExtension.class)
class ConsulDiscoveryCatalogTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ConsulAgent agent;
    private final TestServices services;

    ConsulDiscoveryCatalogTest(ConsulAgent agent) {
        this.agent = agent;
        this.services = new TestServices(agent);
    }

    private ConsulDiscovery started(ConsulSettings.Builder settings) throws Exception {
        ConsulDiscovery d = new ConsulDiscovery(settings.build());
        d.start();
        d.whenReady().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return d;
    }

    /** The instances that may get traffic (critical ones stay in the snapshot, marked, for their routes). */
    private static List<ServiceInstance> instances(ConsulDiscovery d, String service) {
        ServiceSnapshot s = d.current().service(service);
        return s == null ? List.of() : s.routable();
    }

    @Test
    void registeredInstanceIsPublishedWithinSecondsAndLeavesWhenItsCheckFailsOrItIsDeregistered() throws Exception {
        String web = TestServices.unique("web");
        List<CatalogSnapshot> published = new CopyOnWriteArrayList<>();
        // A 30 s wait time: only a blocking query woken by the change can publish within the 5 s below.
        try (ConsulDiscovery d = started(agent.settings().waitTime(Duration.ofSeconds(30)))) {
            d.addListener(published::add);
            services.register(web, web + "-1", 18080);
            // 5 s, not 1: the first change after start() takes the cold path (watch threads, JIT) on a busy machine.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> published.stream().anyMatch(s -> s.service(web) != null && !s.service(web).isEmpty()));
            ServiceInstance i = instances(d, web).get(0);
            assertThat(i.id().node()).isEqualTo(services.nodeName());
            assertThat(i.id().serviceId()).isEqualTo(web + "-1");
            assertThat(i.hostPort()).isEqualTo("127.0.0.1:18080");
            assertThat(i.tags()).containsExactly("urlprefix-/" + web);
            assertThat(i.meta()).containsEntry("owner", "test");
            assertThat(i.health()).isEqualTo(InstanceHealth.PASSING);

            services.register(web, web + "-2", 18081);
            await().atMost(WAIT).until(() -> instances(d, web).size() == 2);
            services.check(web + "-1", "critical");
            await().atMost(WAIT).until(() -> instances(d, web).stream().map(x -> x.id().serviceId()).toList()
                    .equals(List.of(web + "-2")));
            services.deregister(web + "-2");
            await().atMost(WAIT).until(() -> d.current().service(web) == null || instances(d, web).isEmpty());
            services.deregister(web + "-1");
            await().atMost(WAIT).until(() -> d.current().service(web) == null);

            for (int k = 1; k < published.size(); k++) {
                assertThat(published.get(k)).as("never republished unchanged").isNotEqualTo(published.get(k - 1));
            }
            assertThat(d.status().lastError()).isNull();
            assertThat(d.status().ready()).isTrue();
        }
    }

    @Test
    void addressIsServiceAddressElseNodeAddressAndWeightsComeFromConsul() throws Exception {
        String svc = TestServices.unique("addr");
        services.register(svc, svc + "-own", "127.0.0.42", 9001, List.of("switchboard"), 5, 2, "passing");
        services.register(svc, svc + "-node", "", 9002, List.of("switchboard"), 1, 1, "passing");
        try (ConsulDiscovery d = started(agent.settings())) {
            await().atMost(WAIT).until(() -> instances(d, svc).size() == 2);
            ServiceInstance node = instances(d, svc).stream().filter(i -> i.port() == 9002).findFirst().orElseThrow();
            ServiceInstance own = instances(d, svc).stream().filter(i -> i.port() == 9001).findFirst().orElseThrow();
            assertThat(own.address()).isEqualTo("127.0.0.42");
            assertThat(own.weight()).isEqualTo(5);
            assertThat(node.address()).isEqualTo("127.0.0.1"); // the dev agent's node address
            assertThat(node.weight()).isEqualTo(1);
        } finally {
            services.deregister(svc + "-own");
            services.deregister(svc + "-node");
        }
    }

    @Test
    void warningInstancesAreRoutableOnlyWhenConfiguredAndUseTheWarningWeight() throws Exception {
        String svc = TestServices.unique("warn");
        services.register(svc, svc + "-ok", "127.0.0.1", 9101, List.of("switchboard"), 4, 1, "passing");
        services.register(svc, svc + "-warn", "127.0.0.1", 9102, List.of("switchboard"), 4, 1, "warning");
        try (ConsulDiscovery strict = started(agent.settings());
             ConsulDiscovery lenient = started(agent.settings().includeWarning(true))) {
            await().atMost(WAIT).until(() -> instances(lenient, svc).size() == 2 && instances(strict, svc).size() == 1);
            assertThat(instances(strict, svc)).extracting(ServiceInstance::port).containsExactly(9101);
            ServiceInstance warn = instances(lenient, svc).stream().filter(i -> i.port() == 9102).findFirst().orElseThrow();
            assertThat(warn.health()).isEqualTo(InstanceHealth.WARNING);
            assertThat(warn.weight()).isEqualTo(1);

            services.check(svc + "-warn", "passing");
            await().atMost(WAIT).until(() -> instances(strict, svc).size() == 2);
            assertThat(instances(lenient, svc)).extracting(ServiceInstance::weight).containsExactly(4, 4);
        } finally {
            services.deregister(svc + "-ok");
            services.deregister(svc + "-warn");
        }
    }

    @Test
    void serviceAndNodeMaintenanceRemoveInstancesUntilDisabled() throws Exception {
        String svc = TestServices.unique("maint");
        services.register(svc, svc + "-1", 9201);
        services.register(svc, svc + "-2", 9202);
        try (ConsulDiscovery d = started(agent.settings().includeWarning(true))) {
            await().atMost(WAIT).until(() -> instances(d, svc).size() == 2);
            services.serviceMaintenance(svc + "-1", true);
            await().atMost(WAIT).until(() -> instances(d, svc).size() == 1);
            assertThat(instances(d, svc).get(0).port()).isEqualTo(9202);
            services.serviceMaintenance(svc + "-1", false);
            await().atMost(WAIT).until(() -> instances(d, svc).size() == 2);

            services.nodeMaintenance(true);
            await().atMost(WAIT).until(() -> instances(d, svc).isEmpty());
            assertThat(d.current().service(svc)).as("the service stays known, with no instances").isNotNull();
            services.nodeMaintenance(false);
            await().atMost(WAIT).until(() -> instances(d, svc).size() == 2);
        } finally {
            services.nodeMaintenance(false);
            services.deregister(svc + "-1");
            services.deregister(svc + "-2");
        }
    }

    @Test
    void onlyRelevantServicesAreWatchedAndWantedOnesAppearEvenWhenAbsent() throws Exception {
        String tagged = TestServices.unique("tagged");
        String plain = TestServices.unique("plain");
        String wanted = TestServices.unique("wanted");
        services.register(tagged, tagged + "-1", 9301);
        services.register(plain, plain + "-1", "127.0.0.1", 9302, List.of("other"), 1, 1, "passing");
        try (ConsulDiscovery d = started(agent.settings().wantedServices(Set.of(wanted)))) {
            await().atMost(WAIT).until(() -> instances(d, tagged).size() == 1);
            assertThat(d.current().service(plain)).isNull();
            assertThat(d.current().service(wanted)).isNotNull().satisfies(s -> assertThat(s.isEmpty()).isTrue());
            services.register(wanted, wanted + "-1", "127.0.0.1", 9303, List.of(), 1, 1, "passing");
            await().atMost(WAIT).until(() -> instances(d, wanted).size() == 1);
            long routeTagged = agent.client().getCatalogServices(com.ecwid.consul.v1.QueryParams.DEFAULT).getValue()
                    .values().stream().filter(ServiceFilter::hasRoutingTag).count();
            // the service list + every route-tagged service (ours among them) + the untagged wanted one
            assertThat(d.status().watches()).isEqualTo(1 + routeTagged + 1);
        } finally {
            services.deregister(tagged + "-1");
            services.deregister(plain + "-1");
            services.deregister(wanted + "-1");
        }
    }
}
