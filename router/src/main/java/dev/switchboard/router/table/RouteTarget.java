package dev.switchboard.router.table;

import dev.switchboard.discovery.InstanceId;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a route sends traffic: a service, optionally restricted to some of its instances.
 *
 * @param service   the service name
 * @param instances empty for all instances of the service; otherwise only these (Consul instances
 *                  that declared the route, since tags differ per instance during rolling deploys).
 *                  Sorted and unmodifiable.
 * @param weight    share of the route's traffic relative to its other targets, &ge; 0
 */
public record RouteTarget(String service, Set<InstanceId> instances, int weight) {

    public RouteTarget {
        Objects.requireNonNull(service, "service");
        instances = Collections.unmodifiableSortedSet(new TreeSet<>(instances));
        if (weight < 0) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: >= 0)");
        }
    }

    /** Whether every instance of the service is a target. */
    public boolean allInstances() {
        return instances.isEmpty();
    }

    /** Whether the instance may receive this route's traffic. */
    public boolean includes(InstanceId id) {
        return instances.isEmpty() || instances.contains(id);
    }

    /** Canonical form: {@code web[all]} or {@code web[node-a/web-1,node-b/web-2]}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(service).append('[');
        if (instances.isEmpty()) {
            sb.append("all");
        } else {
            int i = 0;
            for (InstanceId id : instances) {
                sb.append(i++ > 0 ? "," : "").append(id);
            }
        }
        return sb.append(']').toString();
    }
}
