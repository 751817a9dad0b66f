package dev.switchboard.router.table;

import dev.switchboard.router.config.ServiceConfig;
import dev.switchboard.router.config.TimeoutsConfig;

/**
 * Service-level settings carried in Consul service meta, each chosen by majority over the
 * service's instances (see {@link ConsulRoutes}). A null field was not set by any instance.
 *
 * @param strategy load-balancing strategy name from {@code switchboard-strategy}; only its syntax is
 *                 checked here, the caller checks it against the registry of strategies
 * @param hashKey  from {@code switchboard-hash-key}
 * @param timeouts from {@code switchboard-timeout-connect}, {@code -response}, {@code -idle};
 *                 null fields unset
 */
public record ConsulServiceSettings(String strategy, ServiceConfig.HashKeyConfig hashKey, TimeoutsConfig timeouts) {

    public ConsulServiceSettings {
        timeouts = timeouts != null ? timeouts : TimeoutsConfig.INHERIT;
    }

    /** {@code base} with each setting present here replacing the base's. */
    public ServiceConfig applyTo(ServiceConfig base) {
        return new ServiceConfig(strategy != null ? strategy : base.strategy(),
                hashKey != null ? hashKey : base.hashKey(), base.sticky(), base.instances(), base.slowStart(),
                base.timeouts().overriddenBy(timeouts), base.outlier(), base.activeCheck(), base.circuit(),
                base.retry(), base.maxInFlightPerBackend());
    }
}
