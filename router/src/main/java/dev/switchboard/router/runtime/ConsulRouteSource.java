package dev.switchboard.router.runtime;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.ServiceSnapshot;
import dev.switchboard.router.config.ServiceConfig;
import dev.switchboard.router.table.RouteDefinition;
import java.util.List;

/** Routes and per-service settings that Consul tags and meta declare. */
final class ConsulRouteSource {

    private ConsulRouteSource() {
    }

    static List<RouteDefinition> definitions(CatalogSnapshot catalog) {
        if (catalog.services().isEmpty()) {
            return List.of();
        }
        throw new UnsupportedOperationException("consul routes");
    }

    static ServiceConfig serviceOverrides(ServiceSnapshot service, ServiceConfig config) {
        return config;
    }
}
