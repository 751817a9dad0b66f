package dev.switchboard.discovery;

/** Aggregated health of an instance as its source reports it (Consul: the worst of its checks). */
public enum InstanceHealth {
    PASSING,
    WARNING,
    CRITICAL
}
