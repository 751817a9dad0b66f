package dev.switchboard.router.backend;

import dev.switchboard.router.balancer.LoadBalancingStrategy;
import dev.switchboard.router.balancer.Selector;
import dev.switchboard.router.balancer.Strategies;
import java.util.List;

/** Builds a {@link ServiceCluster}: the strategy named by the service's config, fed the previous selector. */
public final class ServiceClusters {

    private ServiceClusters() {
    }

    public static ServiceCluster build(ServiceState state, List<Backend> members, ServiceCluster previous) {
        if (members.isEmpty()) {
            return new ServiceCluster(state, members, null);
        }
        LoadBalancingStrategy strategy = Strategies.forService(state.config());
        boolean sameStrategy = previous != null && previous.config().strategy().equals(state.config().strategy());
        Selector prior = sameStrategy ? previous.selector() : null;
        return new ServiceCluster(state, members, strategy.newSelector(members, prior));
    }
}
