package dev.switchboard.router.runtime;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.router.balancer.Strategies;
import dev.switchboard.router.config.ServiceConfig;
import dev.switchboard.router.table.ConsulProblem;
import dev.switchboard.router.table.ConsulRoutes;
import dev.switchboard.router.table.ConsulServiceSettings;
import dev.switchboard.router.table.RouteDefinition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes and per-service settings that Consul tags and meta declare, computed once per catalog
 * snapshot. A problem with a tag (service, tag, reason) is logged once when it appears, not again
 * while it stays, however many instances come to carry it: 10,000 instances registering with one
 * bad tag make one line, not one per catalog update.
 */
final class ConsulRouteSource {

    private static final Logger log = LoggerFactory.getLogger(ConsulRouteSource.class);

    private final ConsulRoutes parser = new ConsulRoutes();
    private CatalogSnapshot lastCatalog;
    private ConsulRoutes.Result last = new ConsulRoutes.Result(List.of(), new java.util.TreeMap<>(), List.of());
    private Set<ProblemKey> reported = Set.of();
    private final Map<String, String> warnedStrategy = new HashMap<>();

    private record ProblemKey(String service, String tag, String reason) {
        static ProblemKey of(ConsulProblem p) {
            return new ProblemKey(p.service(), p.tag(), p.reason());
        }
    }

    /** Parses the catalog if it changed since the last call. Control thread only. */
    void update(CatalogSnapshot catalog) {
        if (Objects.equals(catalog, lastCatalog)) {
            return;
        }
        lastCatalog = catalog;
        last = parser.routes(catalog);
        Set<ProblemKey> now = new HashSet<>();
        for (ConsulProblem p : last.problems()) {
            if (now.add(ProblemKey.of(p)) && !reported.contains(ProblemKey.of(p))) {
                log.warn("consul tag ignored: {}", p.describe());
            }
        }
        reported = now;
    }

    List<RouteDefinition> definitions() {
        return last.routes();
    }

    /** {@code config} with the service's Consul meta settings applied; an unknown strategy is ignored and logged. */
    ServiceConfig serviceOverrides(String service, ServiceConfig config) {
        ConsulServiceSettings settings = last.services().get(service);
        if (settings == null) {
            return config;
        }
        if (settings.strategy() != null && !Strategies.isKnown(settings.strategy())) {
            // Once per service and value, not on every rebuild that something else caused.
            if (!settings.strategy().equals(warnedStrategy.put(service, settings.strategy()))) {
                log.warn("consul meta switchboard-strategy={} of service {} ignored: unknown strategy (expected one of: {})",
                        settings.strategy(), service, String.join(", ", Strategies.names()));
            }
            settings = new ConsulServiceSettings(null, settings.hashKey(), settings.timeouts());
        } else {
            warnedStrategy.remove(service);
        }
        return settings.applyTo(config);
    }
}
