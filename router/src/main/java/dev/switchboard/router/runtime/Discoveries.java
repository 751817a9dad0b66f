package dev.switchboard.router.runtime;

import dev.switchboard.discovery.ServiceDiscovery;
import dev.switchboard.router.config.SwitchboardConfig;

/** Creates the discovery source the config asks for: none (static config only) or Consul. */
final class Discoveries {

    private Discoveries() {
    }

    /** Null when the config declares everything statically (the embedded default). */
    static ServiceDiscovery create(SwitchboardConfig config) {
        if (!config.consul().enabled()) {
            return null;
        }
        return ConsulDiscoveries.create(config);
    }
}
