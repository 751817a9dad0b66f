package dev.switchboard.router.runtime;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.InstanceId;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.discovery.ServiceSnapshot;
import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.backend.BackendRegistry;
import dev.switchboard.router.backend.ServiceCluster;
import dev.switchboard.router.backend.ServiceClusters;
import dev.switchboard.router.config.InstanceConfig;
import dev.switchboard.router.config.HostPort;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.ServiceConfig;
import dev.switchboard.router.config.SwitchboardConfig;
import dev.switchboard.router.proxy.RouteBinding;
import dev.switchboard.router.proxy.RoutingState;
import dev.switchboard.router.table.Route;
import dev.switchboard.router.table.RouteDefinition;
import dev.switchboard.router.table.RouteTable;
import dev.switchboard.router.table.RouteTableBuilder;
import dev.switchboard.router.table.RouteTableException;
import dev.switchboard.router.table.RouteTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns (config, catalog) into a {@link RoutingState}: reconciles every service's backends in the
 * registry, builds the route table, and binds each route target to a cluster whose selector is
 * rebuilt from the previous one (so round-robin positions and smooth-WRR weights carry over).
 * Runs only on the control thread.
 */
final class RoutingStateBuilder {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RoutingStateBuilder.class);

    private final BackendRegistry registry;
    private final ConsulRouteSource consulRoutes = new ConsulRouteSource();
    private List<String> loggedWarnings = List.of();
    private final Map<String, AtomicInteger> routeInFlight = new HashMap<>();
    private Map<ClusterKey, ServiceCluster> previousClusters = Map.of();
    private long version;

    /** Consul routes to statically configured services, warned about once each. */
    private final Set<String> warnedStaticTargets = new HashSet<>();

    RoutingStateBuilder(BackendRegistry registry) {
        this.registry = registry;
    }

    private record ClusterKey(String service, Set<?> instances) {
    }

    /**
     * @param apiInstances backends added through the admin API, by service
     * @throws RouteTableException if the routes cannot be built; nothing was changed then
     */
    RoutingState build(SwitchboardConfig config, CatalogSnapshot catalog,
                       Map<String, List<ServiceInstance>> apiInstances) throws RouteTableException {
        List<RouteDefinition> definitions = new ArrayList<>();
        for (RouteConfig r : config.routes()) {
            definitions.add(RouteDefinition.of(r));
        }
        consulRoutes.update(catalog);
        definitions.addAll(consulRoutes.definitions());
        RouteTable table = RouteTableBuilder.build(definitions);
        if (!table.warnings().equals(loggedWarnings)) {
            table.warnings().stream().filter(w -> !loggedWarnings.contains(w)).forEach(w -> log.warn("route table: {}", w));
            loggedWarnings = table.warnings();
        }

        Set<String> services = new HashSet<>(config.services().keySet());
        services.addAll(table.services());
        services.addAll(apiInstances.keySet());
        for (String name : registry.serviceNames()) {
            if (!services.contains(name)) {
                registry.removeService(name);
            }
        }
        Map<String, BackendRegistry.Membership> members = new HashMap<>();
        Set<String> staticServices = new HashSet<>();
        for (String name : services) {
            ServiceConfig sc = config.services().getOrDefault(name, ServiceConfig.DEFAULT);
            sc = consulRoutes.serviceOverrides(name, sc);
            List<ServiceInstance> instances = new ArrayList<>();
            String source;
            if (!sc.instances().isEmpty()) {
                source = "static";
                staticServices.add(name);
                for (InstanceConfig i : sc.instances()) {
                    HostPort hp = HostPort.parse(i.address());
                    instances.add(ServiceInstance.ofStatic(name, hp.host(), hp.port(), i.weight()));
                }
            } else {
                source = "consul";
                ServiceSnapshot snap = catalog.service(name);
                if (snap != null) {
                    // Critical instances name routes (ConsulRoutes) but take no traffic.
                    instances.addAll(snap.routable());
                }
            }
            List<ServiceInstance> fromApi = apiInstances.getOrDefault(name, List.of());
            instances.addAll(fromApi);
            Set<InstanceId> ids = apiIds(apiInstances, name);
            String base = source;
            members.put(name, registry.reconcile(name, sc, instances, i -> ids.contains(i.id()) ? "api" : base));
        }

        Map<ClusterKey, ServiceCluster> clusters = new HashMap<>();
        Map<Route, RouteBinding> bindings = new IdentityHashMap<>();
        Map<String, AtomicInteger> inFlight = new HashMap<>();
        for (Route route : table.routes()) {
            List<RouteTarget> targets = route.targets();
            ServiceCluster[] bound = new ServiceCluster[targets.size()];
            for (int i = 0; i < targets.size(); i++) {
                RouteTarget t = targets.get(i);
                BackendRegistry.Membership m = members.get(t.service());
                if (m == null) {
                    continue;
                }
                if (!t.allInstances() && staticServices.contains(t.service())
                        && warnedStaticTargets.add(route.name() + " " + t.service())) {
                    log.warn("consul route {} names instances of service {}, which the config lists with static instances:"
                            + " it has no backends (drop the service's instances from the config, or the tag)", route.name(), t.service());
                }
                ClusterKey key = new ClusterKey(t.service(), t.instances());
                bound[i] = clusters.computeIfAbsent(key, k -> {
                    // A Consul route names the instances that carry its tag. Backends added through the
                    // API carry no tags: they serve the service's routes that every other instance
                    // serves, not a canary route only some instances declare.
                    Set<InstanceId> fromApi = apiIds(apiInstances, t.service());
                    boolean wholeService = m.backends().stream().allMatch(b -> fromApi.contains(b.id()) || t.includes(b.id()));
                    List<Backend> subset = t.allInstances() ? m.backends()
                            : m.backends().stream().filter(b -> t.includes(b.id()) || wholeService && fromApi.contains(b.id())).toList();
                    return ServiceClusters.build(m.state(), subset, previousClusters.get(k));
                });
            }
            AtomicInteger counter = routeInFlight.computeIfAbsent(route.name(), n -> new AtomicInteger());
            inFlight.put(route.name(), counter);
            bindings.put(route, new RouteBinding(route, bound, config.upstream().timeouts(),
                    config.upstream().preserveHost(), counter));
        }
        routeInFlight.keySet().retainAll(inFlight.keySet());
        previousClusters = clusters;
        return new RoutingState(table, bindings, ++version);
    }

    private static Set<InstanceId> apiIds(Map<String, List<ServiceInstance>> apiInstances, String service) {
        Set<InstanceId> ids = new HashSet<>();
        apiInstances.getOrDefault(service, List.of()).forEach(i -> ids.add(i.id()));
        return ids;
    }
}
