package dev.switchboard.router.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.Collections;
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
        @JsonSetter(contentNulls = Nulls.SET) Map<String, ServiceConfig> services,
        List<RouteConfig> routes,
        AccessLogConfig accessLog) {

    /** Every section at its defaults: the embedded configuration when no file is given. */
    public static final SwitchboardConfig DEFAULT = new SwitchboardConfig(null, null, null, null, null, null, null);

    public SwitchboardConfig {
        listen = listen != null ? listen : ListenConfig.DEFAULT;
        admin = admin != null ? admin : AdminConfig.DEFAULT;
        upstream = upstream != null ? upstream : UpstreamConfig.DEFAULT;
        consul = consul != null ? consul : ConsulConfig.DEFAULT;
        services = services != null ? withDefaults(services) : Map.of();
        routes = routes != null ? List.copyOf(routes) : List.of();
        accessLog = accessLog != null ? accessLog : AccessLogConfig.DEFAULT;
    }

    /** {@code services: {web: }} declares web with every setting at its default (typically from Consul). */
    private static Map<String, ServiceConfig> withDefaults(Map<String, ServiceConfig> services) {
        Map<String, ServiceConfig> copy = new LinkedHashMap<>();
        services.forEach((name, s) -> copy.put(name, s != null ? s : ServiceConfig.DEFAULT));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * The sections of {@code next} that differ from this config (the one the router started with)
     * and take effect only after a restart: {@code listen}, {@code admin} (its token is read per call),
     * {@code consul}, {@code access_log}. Empty when a reload applies everything that changed.
     */
    public List<String> restartOnlyChanges(SwitchboardConfig next) {
        List<String> fixed = new java.util.ArrayList<>();
        if (!next.listen().equals(listen)) {
            fixed.add("listen");
        }
        if (!withoutToken(next.admin()).equals(withoutToken(admin))) {
            fixed.add("admin");
        }
        if (!next.consul().equals(consul)) {
            fixed.add("consul");
        }
        if (!next.accessLog().equals(accessLog)) {
            fixed.add("access_log");
        }
        return fixed;
    }

    private static AdminConfig withoutToken(AdminConfig a) {
        return new AdminConfig(a.enabled(), a.address(), a.port(), null, a.jmx());
    }
}
