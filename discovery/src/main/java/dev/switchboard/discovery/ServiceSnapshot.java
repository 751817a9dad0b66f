package dev.switchboard.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The instances of one service at one moment, sorted by identity. Immutable. Instances discovery
 * says must not get traffic (critical, in maintenance) are included, marked
 * {@link InstanceHealth#CRITICAL}: they still name the service's routes.
 */
public record ServiceSnapshot(String name, List<ServiceInstance> instances) {

    public ServiceSnapshot {
        Objects.requireNonNull(name, "name");
        List<ServiceInstance> sorted = new ArrayList<>(instances);
        sorted.sort(null);
        instances = List.copyOf(sorted);
    }

    public static ServiceSnapshot of(String name, Collection<ServiceInstance> instances) {
        return new ServiceSnapshot(name, List.copyOf(instances));
    }

    public boolean isEmpty() {
        return instances.isEmpty();
    }

    /** The instances that may get traffic: all but the {@link InstanceHealth#CRITICAL} ones. */
    public List<ServiceInstance> routable() {
        return instances.stream().filter(i -> i.health() != InstanceHealth.CRITICAL).toList();
    }

    /** Canonical text form: the service name, then one indented line per instance. */
    public String describe() {
        StringBuilder sb = new StringBuilder(name).append('\n');
        for (ServiceInstance i : instances) {
            sb.append("  ").append(i.describe()).append('\n');
        }
        return sb.toString();
    }
}
