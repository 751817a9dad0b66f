package dev.switchboard.router.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.InstanceHealth;
import dev.switchboard.discovery.InstanceId;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.discovery.ServiceSnapshot;
import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.backend.BackendRegistry;
import dev.switchboard.router.backend.ServiceCluster;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import dev.switchboard.router.health.LoggingHealthEvents;
import dev.switchboard.router.proxy.RouteBinding;
import dev.switchboard.router.proxy.RoutingState;
import dev.switchboard.router.testing.LogCapture;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which backends each route's clusters get from config, the Consul catalog and the admin API. */
class RoutingStateBuilderTest {

    final BackendRegistry registry;
    final RoutingStateBuilder builder;

    RoutingStateBuilderTest() throws Exception {
        SwitchboardConfig config = ConfigLoader.withEnvironment(Map.of()).parse("");
        registry = new BackendRegistry(1, config.upstream(), new LoggingHealthEvents(), System::nanoTime);
        builder = new RoutingStateBuilder(registry);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    private static ServiceInstance consul(String service, String id, int port, String... tags) {
        return new ServiceInstance(new InstanceId("node-1", id), service, "127.0.0.1", port, 1, InstanceHealth.PASSING,
                List.of(tags), new TreeMap<>());
    }

    private static List<String> backendsOf(RoutingState state, String route) {
        for (RouteBinding b : state.bindings()) {
            if (b.name().equals(route)) {
                return b.clusters().stream().flatMap(c -> c.backends().stream()).map(Backend::toString).sorted().toList();
            }
        }
        throw new AssertionError("no route " + route + " in " + state.table());
    }

    @Test
    void aBackendAddedThroughTheApiServesTheConsulTagRoutesOfItsService() throws Exception {
        SwitchboardConfig config = ConfigLoader.withEnvironment(Map.of()).parse("consul: {enabled: true}\n");
        CatalogSnapshot catalog = CatalogSnapshot.of(List.of(
                new ServiceSnapshot("green", List.of(consul("green", "green-1", 19001, "urlprefix-/color")))));
        ServiceInstance added = ServiceInstance.ofStatic("green", "127.0.0.1", 19009, 1);

        RoutingState before = builder.build(config, catalog, Map.of());
        RoutingState after = builder.build(config, catalog, Map.of("green", List.of(added)));

        String route = before.table().routes().get(0).name();
        assertThat(backendsOf(before, route)).hasSize(1);
        assertThat(backendsOf(after, route)).hasSize(2).anyMatch(b -> b.contains("static/127.0.0.1:19009"));
    }

    @Test
    void staticIpv6BackendsHaveTheBracketedIdTheApiUses() {
        assertThat(ServiceInstance.ofStatic("cache", "::1", 19107, 1).id().toString()).isEqualTo("static/[::1]:19107");
        assertThat(ServiceInstance.ofStatic("cache", "[::1]", 19107, 1).id()).isEqualTo(ServiceInstance.ofStatic("cache", "::1", 19107, 1).id());
        assertThat(ServiceInstance.ofStatic("cache", "[::1]", 19107, 1).hostPort()).isEqualTo("[::1]:19107");
        assertThat(ServiceInstance.ofStatic("web", "10.0.0.1", 80, 1).id().toString()).isEqualTo("static/10.0.0.1:80");
    }

    @Test
    void aReplacedBackendIsRetiredOnlyWhenTheStateWithoutItIsPublished() throws Exception {
        SwitchboardConfig config = ConfigLoader.withEnvironment(Map.of()).parse("consul: {enabled: true}\n");
        RoutingState published = builder.build(config, CatalogSnapshot.of(List.of(
                new ServiceSnapshot("solo", List.of(consul("solo", "solo-1", 19395, "urlprefix-/solo"))))), Map.of());
        ServiceCluster cluster = published.bindings().iterator().next().clusters().get(0);
        Backend only = cluster.backends().get(0);
        assertThat(cluster.admits(only, System.nanoTime(), false)).isTrue();

        // The same instance moved to another port: the next state is built, not yet published.
        builder.build(config, CatalogSnapshot.of(List.of(
                new ServiceSnapshot("solo", List.of(consul("solo", "solo-1", 19396, "urlprefix-/solo"))))), Map.of());
        assertThat(cluster.admits(only, System.nanoTime(), false)).as("requests on the published state still route").isTrue();

        registry.retirePending(); // what Switchboard does right after publishing
        assertThat(cluster.admits(only, System.nanoTime(), false)).as("retired once the new state is out").isFalse();
    }

    @Test
    void aDrainSetThroughTheApiOutlivesTheInstanceLeavingAndComingBack() throws Exception {
        SwitchboardConfig config = ConfigLoader.withEnvironment(Map.of()).parse("consul: {enabled: true}\n");
        ServiceInstance up = consul("web", "web-1", 19401, "urlprefix-/web");
        ServiceInstance down = new ServiceInstance(up.id(), "web", "127.0.0.1", 19401, 1, InstanceHealth.CRITICAL,
                up.tags(), new TreeMap<>());
        CatalogSnapshot passing = CatalogSnapshot.of(List.of(new ServiceSnapshot("web", List.of(up))));
        CatalogSnapshot critical = CatalogSnapshot.of(List.of(new ServiceSnapshot("web", List.of(down))));

        builder.build(config, passing, Map.of());
        Backend first = registry.membership("web").backends().get(0);
        registry.setDraining(first, true);
        registry.overrideWeight(first, 7);

        builder.build(config, critical, Map.of()); // its check flaps while the application restarts
        registry.retirePending();
        assertThat(registry.membership("web").backends()).isEmpty();
        builder.build(config, passing, Map.of());
        Backend again = registry.membership("web").backends().get(0);
        assertThat(again).isNotSameAs(first);
        assertThat(again.isDraining()).isTrue();
        assertThat(again.weight()).isEqualTo(7);

        registry.setDraining(again, false);
        registry.overrideWeight(again, 0);
        builder.build(config, critical, Map.of());
        registry.retirePending();
        builder.build(config, passing, Map.of());
        assertThat(registry.membership("web").backends().get(0).isDraining()).as("undrained is forgotten").isFalse();
    }

    @Test
    void anAddressThatDoesNotResolveIsLoggedOnceNotOnEveryRebuild() throws Exception {
        SwitchboardConfig config = ConfigLoader.withEnvironment(Map.of()).parse("consul: {enabled: true}\n");
        ServiceInstance bad = new ServiceInstance(new InstanceId("node-1", "dns-1"), "dns", "nohost.invalid", 80, 1,
                InstanceHealth.PASSING, List.of("urlprefix-/dns"), new TreeMap<>());
        CatalogSnapshot catalog = CatalogSnapshot.of(List.of(new ServiceSnapshot("dns", List.of(bad))));
        try (LogCapture log = LogCapture.of(BackendRegistry.class)) {
            for (int rebuild = 0; rebuild < 5; rebuild++) {
                builder.build(config, catalog, Map.of());
            }
            assertThat(log.matching("does not resolve")).hasSize(1);
        }
    }

    @Test
    void aConsulRouteToAStaticallyConfiguredServiceIsWarnedAboutOnce() throws Exception {
        SwitchboardConfig config = ConfigLoader.withEnvironment(Map.of()).parse("""
                consul: {enabled: true}
                services: {stat: {instances: [{address: "127.0.0.1:19501"}]}}
                """);
        CatalogSnapshot catalog = CatalogSnapshot.of(List.of(
                new ServiceSnapshot("stat", List.of(consul("stat", "stat-c1", 19502, "urlprefix-/statc")))));
        try (LogCapture log = LogCapture.of(RoutingStateBuilder.class)) {
            for (int rebuild = 0; rebuild < 3; rebuild++) {
                builder.build(config, catalog, Map.of());
            }
            assertThat(log.matching("which the config lists with static instances")).hasSize(1);
        }
    }

    @Test
    void aBackendAddedThroughTheApiStaysOutOfACanaryRouteOnlySomeInstancesDeclare() throws Exception {
        SwitchboardConfig config = ConfigLoader.withEnvironment(Map.of()).parse("consul: {enabled: true}\n");
        CatalogSnapshot catalog = CatalogSnapshot.of(List.of(new ServiceSnapshot("shop", List.of(
                consul("shop", "shop-1", 19601, "urlprefix-/shop"),
                consul("shop", "shop-2", 19602, "urlprefix-/shop", "urlprefix-/shop-canary")))));
        ServiceInstance added = ServiceInstance.ofStatic("shop", "127.0.0.1", 19609, 1);

        RoutingState state = builder.build(config, catalog, Map.of("shop", List.of(added)));

        String main = null;
        String canary = null;
        for (RouteBinding b : state.bindings()) {
            if (b.route().toString().contains("/shop-canary")) {
                canary = b.name();
            } else {
                main = b.name();
            }
        }
        assertThat(backendsOf(state, main)).hasSize(3).anyMatch(b -> b.contains("static/127.0.0.1:19609"));
        assertThat(backendsOf(state, canary)).hasSize(1).noneMatch(b -> b.contains("static/"));
    }
}
