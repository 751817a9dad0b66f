package dev.switchboard.router.runtime;

import dev.switchboard.discovery.ServiceDiscovery;
import dev.switchboard.discovery.consul.ConsulDiscovery;
import dev.switchboard.discovery.consul.ConsulSettings;
import dev.switchboard.router.config.ConsulConfig;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.SwitchboardConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/**
 * Consul discovery from the {@code consul} config section, with {@code CONSUL_HTTP_ADDR},
 * {@code CONSUL_HTTP_TOKEN} and friends as defaults for what the section leaves out.
 */
final class ConsulDiscoveries {

    private ConsulDiscoveries() {
    }

    static ServiceDiscovery create(SwitchboardConfig config) {
        return new ConsulDiscovery(settings(config, System.getenv()));
    }

    static ConsulSettings settings(SwitchboardConfig config, Map<String, String> env) {
        ConsulConfig c = config.consul();
        ConsulSettings.Builder b = ConsulSettings.fromEnvironment(env);
        if (c.address() != null) {
            b.address(c.address());
        }
        if (c.token() != null) {
            b.token(c.token());
        }
        if (c.datacenter() != null) {
            b.datacenter(c.datacenter());
        }
        if (c.caFile() != null) {
            b.caFile(Path.of(c.caFile()));
        }
        if (c.snapshotFile() != null) {
            b.snapshotFile(Path.of(c.snapshotFile()));
        }
        return b.waitTime(c.waitTime())
                .staleReads(c.stale())
                .includeWarning(c.includeWarning())
                .watchAll(c.watchAll())
                .wantedServices(wantedServices(config))
                .build();
    }

    /** Services to watch even without route tags: those config routes name, and declared ones without instances. */
    static TreeSet<String> wantedServices(SwitchboardConfig config) {
        TreeSet<String> wanted = new TreeSet<>();
        for (RouteConfig r : config.routes()) {
            if (r.service() != null) {
                wanted.add(r.service());
            }
        }
        config.services().forEach((name, s) -> {
            if (s.instances().isEmpty()) {
                wanted.add(name);
            }
        });
        return wanted;
    }

    /** After a config change: watch the services the new config names. */
    static void configChanged(ServiceDiscovery discovery, SwitchboardConfig config) {
        if (discovery instanceof ConsulDiscovery consul) {
            consul.updateWantedServices(wantedServices(config));
        }
    }
}
