package dev.switchboard.router.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * One route: which requests (host, path prefix, optionally methods and header values) go to which service.
 *
 * @param name        a name for logs and metrics; defaults to {@code host + path}
 * @param host        exact host, {@code *.example.com}, or null for any host
 * @param path        path prefix, starting with {@code /}; longest prefix wins
 * @param methods     allowed methods, or empty for all
 * @param headers     header name to required exact value
 * @param service     target service name (static or from Consul)
 * @param rewrite     optional path rewrite
 * @param timeouts    overrides of the service's timeouts
 * @param preserveHost overrides {@code upstream.preserve_host}
 * @param accessLog   write access log lines for this route (default true when the access log is on)
 * @param maxInFlight most concurrent requests on this route; beyond, 503 (0 = unlimited)
 * @param source      where the route came from: {@code config}, {@code consul} or {@code api}; not read from YAML
 */
public record RouteConfig(
        String name,
        String host,
        String path,
        List<String> methods,
        Map<String, String> headers,
        String service,
        RewriteConfig rewrite,
        TimeoutsConfig timeouts,
        Boolean preserveHost,
        Boolean accessLog,
        Integer maxInFlight,
        @JsonIgnore String source) {

    public RouteConfig {
        path = path != null ? path : "/";
        methods = methods != null ? List.copyOf(methods) : List.of();
        headers = headers != null ? Map.copyOf(headers) : Map.of();
        rewrite = rewrite != null ? rewrite : new RewriteConfig(null, null, null, null);
        timeouts = timeouts != null ? timeouts : TimeoutsConfig.INHERIT;
        accessLog = accessLog != null ? accessLog : true;
        maxInFlight = maxInFlight != null ? maxInFlight : 0;
        source = source != null ? source : "config";
        name = name != null ? name : (host != null ? host : "") + path;
    }

    /** A simple route: any host, this prefix, to this service. */
    public static RouteConfig of(String path, String service) {
        return new RouteConfig(null, null, path, null, null, service, null, null, null, null, null, null);
    }
}
