package dev.switchboard.discovery;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One routable instance of a service, as published by a discovery source. Immutable; tags are kept
 * in source order (Fabio route tags are order-sensitive), meta is sorted.
 *
 * @param id      stable identity (node + service ID)
 * @param service service name
 * @param address host name or IP the router connects to
 * @param port    TCP port, 1..65535
 * @param weight  relative weight, &ge; 1 (Consul: {@code Weights.Passing} or {@code Weights.Warning})
 * @param health  health as the source sees it
 * @param tags    tags in source order
 * @param meta    service meta, sorted by key
 */
public record ServiceInstance(
        InstanceId id,
        String service,
        String address,
        int port,
        int weight,
        InstanceHealth health,
        List<String> tags,
        SortedMap<String, String> meta) implements Comparable<ServiceInstance> {

    public ServiceInstance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(health, "health");
        if (address.isEmpty()) {
            throw new IllegalArgumentException("address of " + id + ": empty (expected: a host name or IP)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of " + id + ": " + port + " (expected: 1..65535)");
        }
        if (weight < 1) {
            throw new IllegalArgumentException("weight of " + id + ": " + weight + " (expected: >= 1)");
        }
        tags = List.copyOf(tags);
        meta = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(meta));
    }

    /** A static instance: node {@code static}, ID {@code host:port}, passing, no tags or meta. */
    public static ServiceInstance ofStatic(String service, String address, int port, int weight) {
        // One form whether the address came bracketed (the API) or not (a parsed config address):
        // the id is static/host:port with an IPv6 literal bracketed, as hostPort() writes it.
        String host = address.length() > 2 && address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        return new ServiceInstance(new InstanceId("static", hostPort(host, port)), service, host, port,
                weight, InstanceHealth.PASSING, List.of(), new TreeMap<>());
    }

    /** {@code host:port}, with IPv6 literals bracketed. */
    public String hostPort() {
        return hostPort(address, port);
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    public ServiceInstance withMeta(Map<String, String> newMeta) {
        return new ServiceInstance(id, service, address, port, weight, health, tags, new TreeMap<>(newMeta));
    }

    @Override
    public int compareTo(ServiceInstance o) {
        return id.compareTo(o.id);
    }

    /** Canonical one-line form used by snapshots' {@code describe()}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(id).append(' ').append(hostPort()).append(" weight=").append(weight)
                .append(' ').append(health.name().toLowerCase(java.util.Locale.ROOT));
        if (!tags.isEmpty()) {
            sb.append(" tags=").append(String.join(",", tags));
        }
        if (!meta.isEmpty()) {
            sb.append(" meta=").append(meta);
        }
        return sb.toString();
    }
}
