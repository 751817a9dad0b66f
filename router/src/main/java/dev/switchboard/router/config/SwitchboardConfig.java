package dev.switchboard.router.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole router configuration. Every section is optional; absent sections take defaults.
 *
 * @param listen   the public proxy listener
 * @param admin    the admin listener (metrics, API, dashboard)
 * @param upstream connection pooling and default timeouts toward backends
 * @param consul   Consul discovery (off unless enabled)
 * @param services statically declared services by name (insertion order kept)
 * @param routes   routes, matched by host, path prefix, method and headers
 * @param accessLog access log settings
 */
public record SwitchboardConfig(
        ListenConfig listen,
        AdminConfig admin,
        UpstreamConfig upstream,
        ConsulConfig consul,
        Map<String, ServiceConfig> services,
        List<RouteConfig> routes,
        AccessLogConfig accessLog) {

    public SwitchboardConfig {
        listen = listen != null ? listen : ListenConfig.DEFAULT;
        admin = admin != null ? admin : AdminConfig.DEFAULT;
        upstream = upstream != null ? upstream : UpstreamConfig.DEFAULT;
        consul = consul != null ? consul : ConsulConfig.DEFAULT;
        services = services != null ? java.util.Collections.unmodifiableMap(new LinkedHashMap<>(services)) : Map.of();
        routes = routes != null ? List.copyOf(routes) : List.of();
        accessLog = accessLog != null ? accessLog : AccessLogConfig.DEFAULT;
    }
}
