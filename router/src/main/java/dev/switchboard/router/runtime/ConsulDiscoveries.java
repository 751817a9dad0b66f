package dev.switchboard.router.runtime;

import dev.switchboard.discovery.ServiceDiscovery;
import dev.switchboard.router.config.SwitchboardConfig;

final class ConsulDiscoveries {
    private ConsulDiscoveries() {
    }

    static ServiceDiscovery create(SwitchboardConfig config) {
        throw new UnsupportedOperationException("consul");
    }
}
