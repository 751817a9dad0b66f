/**
 * Consul as a discovery source, plus the two other Consul uses of the router (KV config, self
 * registration).
 *
 * <p>Start reading at {@link dev.switchboard.discovery.consul.ConsulDiscovery}: it runs one
 * {@link dev.switchboard.discovery.consul.BlockingQueryLoop} on the service list and one per
 * relevant service ({@link dev.switchboard.discovery.consul.ServiceFilter}). All Consul rules sit
 * in one place each: index handling, pacing and backoff in {@code BlockingQueryLoop} (a discovery's
 * loops share a {@link dev.switchboard.discovery.consul.RetryGroup}, so they leave their backoff
 * together when Consul answers again); HTTP,
 * token, TLS and request counting in {@link dev.switchboard.discovery.consul.ConsulHttp}; what an
 * instance is (address, identity, weight, health, maintenance) in
 * {@link dev.switchboard.discovery.consul.InstanceParser}. Consul DTOs never leave this package.
 * {@link dev.switchboard.discovery.consul.CatalogPublisher} coalesces per-service results into
 * immutable snapshots; {@link dev.switchboard.discovery.consul.SnapshotFile} persists the last one.
 * {@link dev.switchboard.discovery.consul.ConsulKvWatch} and
 * {@link dev.switchboard.discovery.consul.ConsulRegistration} reuse the same HTTP layer and loop.
 */
package dev.switchboard.discovery.consul;
