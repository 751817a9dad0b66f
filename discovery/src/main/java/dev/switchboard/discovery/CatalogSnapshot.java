package dev.switchboard.discovery;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The whole catalog at one moment: service name to its snapshot, sorted by name. Immutable.
 * Two snapshots with equal contents are {@code equals}, so a publisher can skip unchanged ones.
 */
public record CatalogSnapshot(SortedMap<String, ServiceSnapshot> services) {

    public static final CatalogSnapshot EMPTY = new CatalogSnapshot(new TreeMap<>());

    public CatalogSnapshot {
        services = Collections.unmodifiableSortedMap(new TreeMap<>(services));
    }

    public static CatalogSnapshot of(Collection<ServiceSnapshot> services) {
        TreeMap<String, ServiceSnapshot> map = new TreeMap<>();
        for (ServiceSnapshot s : services) {
            map.put(s.name(), s);
        }
        return new CatalogSnapshot(map);
    }

    public ServiceSnapshot service(String name) {
        return services.get(name);
    }

    /** A copy with one service replaced (or added). */
    public CatalogSnapshot with(ServiceSnapshot service) {
        TreeMap<String, ServiceSnapshot> map = new TreeMap<>(services);
        map.put(service.name(), service);
        return new CatalogSnapshot(map);
    }

    /** A copy without the named service. */
    public CatalogSnapshot without(String name) {
        if (!services.containsKey(name)) {
            return this;
        }
        TreeMap<String, ServiceSnapshot> map = new TreeMap<>(services);
        map.remove(name);
        return new CatalogSnapshot(map);
    }

    /** Instances that may get traffic (not {@link InstanceHealth#CRITICAL}). */
    public int instanceCount() {
        int n = 0;
        for (ServiceSnapshot s : services.values()) {
            n += s.routable().size();
        }
        return n;
    }

    /** Canonical text form, stable across runs: services by name, instances by identity. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, ServiceSnapshot> e : services.entrySet()) {
            sb.append(e.getValue().describe());
        }
        return sb.toString();
    }
}
