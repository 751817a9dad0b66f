package dev.switchboard.router.table;

import dev.switchboard.discovery.InstanceId;
import dev.switchboard.router.config.RewriteConfig;
import dev.switchboard.router.config.RouteConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Test helpers for building route definitions and tables tersely. */
final class Routes {

    private Routes() {
    }

    static RouteConfig route(String name, String host, String path, String service) {
        return new RouteConfig(name, host, path, null, null, service, null, null, null, null, null, null);
    }

    static RouteConfig route(String name, String host, String path, List<String> methods, Map<String, String> headers,
                             String service, String source) {
        return new RouteConfig(name, host, path, methods, headers, service, null, null, null, null, null, source);
    }

    static RouteConfig rewrite(String path, RewriteConfig rewrite) {
        return new RouteConfig("r", null, path, null, null, "svc", rewrite, null, null, null, null, null);
    }

    static RouteTable table(RouteConfig... routes) throws RouteTableException {
        return RouteTableBuilder.build(Arrays.stream(routes).map(RouteDefinition::of).toList());
    }

    static RouteDefinition consul(String host, String path, String service, double share, String... instances) {
        RouteConfig c = new RouteConfig(null, host, path, null, null, service, null, null, null, null, null, "consul");
        return new RouteDefinition(c, ids(instances), share);
    }

    static Set<InstanceId> ids(String... nodeSlashId) {
        List<InstanceId> ids = new ArrayList<>();
        for (String s : nodeSlashId) {
            int slash = s.indexOf('/');
            ids.add(new InstanceId(s.substring(0, slash), s.substring(slash + 1)));
        }
        return Set.copyOf(ids);
    }

    /** A case-insensitive header lookup over name/value pairs. */
    static HeaderLookup headers(String... nameValue) {
        TreeMap<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return m::get;
    }
}
