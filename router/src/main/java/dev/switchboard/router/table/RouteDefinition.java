package dev.switchboard.router.table;

import dev.switchboard.discovery.InstanceId;
import dev.switchboard.router.config.RouteConfig;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One route as declared by a source, before validation and merging: the input of
 * {@link RouteTableBuilder}.
 *
 * @param config    the route; {@link RouteConfig#source()} says where it came from
 * @param instances empty for all instances of {@code config.service()}; otherwise only these
 *                  (Consul: the instances that declared the route). Sorted and unmodifiable.
 * @param share     fixed share of the route's traffic for this service when several services
 *                  declare the same route (Fabio's {@code weight=}: 0.05 is 5%); &le; 0 for none,
 *                  in which case the service shares what the fixed shares leave
 */
public record RouteDefinition(RouteConfig config, Set<InstanceId> instances, double share) {

    public RouteDefinition {
        Objects.requireNonNull(config, "config");
        instances = Collections.unmodifiableSortedSet(new TreeSet<>(instances));
    }

    /** A route for all instances of its service, without a fixed share (config and API routes). */
    public static RouteDefinition of(RouteConfig config) {
        return new RouteDefinition(config, Set.of(), 0);
    }
}
