package dev.switchboard.discovery;

import java.util.Objects;

/**
 * Identity of one service instance: the node it runs on plus its service ID. A Consul service ID
 * is unique only per agent, so the node is part of the identity. Static instances use the node
 * {@code "static"} and their {@code host:port} as ID.
 */
public record InstanceId(String node, String serviceId) implements Comparable<InstanceId> {

    public InstanceId {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(serviceId, "serviceId");
    }

    @Override
    public int compareTo(InstanceId o) {
        int c = node.compareTo(o.node);
        return c != 0 ? c : serviceId.compareTo(o.serviceId);
    }

    @Override
    public String toString() {
        return node + "/" + serviceId;
    }
}
