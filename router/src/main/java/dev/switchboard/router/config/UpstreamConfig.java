package dev.switchboard.router.config;

import java.time.Duration;

/**
 * Connections toward backends, and the global timeout defaults that routes and services may override.
 *
 * @param connectionsPerThread most keep-alive connections per backend per IO thread (default 64)
 * @param maxQueue             requests per backend per IO thread that may wait for a connection; beyond, 503
 * @param queueTimeout         longest wait for a pooled connection before 503
 * @param keepAliveTtl         idle upstream connections are closed after this long
 * @param timeouts             connect / response (time to first byte) / idle defaults
 * @param preserveHost         send the client's Host header (default) rather than the backend's host:port
 */
public record UpstreamConfig(
        Integer connectionsPerThread,
        Integer maxQueue,
        Duration queueTimeout,
        Duration keepAliveTtl,
        TimeoutsConfig timeouts,
        Boolean preserveHost) {

    public static final UpstreamConfig DEFAULT = new UpstreamConfig(null, null, null, null, null, null);

    public UpstreamConfig {
        connectionsPerThread = connectionsPerThread != null ? connectionsPerThread : 64;
        maxQueue = maxQueue != null ? maxQueue : 1024;
        queueTimeout = queueTimeout != null ? queueTimeout : Duration.ofSeconds(5);
        keepAliveTtl = keepAliveTtl != null ? keepAliveTtl : Duration.ofSeconds(60);
        timeouts = TimeoutsConfig.GLOBAL_DEFAULT.overriddenBy(timeouts);
        preserveHost = preserveHost != null ? preserveHost : true;
    }
}
