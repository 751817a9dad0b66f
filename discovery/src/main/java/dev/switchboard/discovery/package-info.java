/**
 * Service discovery: where backends come from.
 *
 * <p>A {@link dev.switchboard.discovery.ServiceDiscovery} publishes immutable
 * {@link dev.switchboard.discovery.CatalogSnapshot}s (service name to
 * {@link dev.switchboard.discovery.ServiceSnapshot}, each a sorted list of
 * {@link dev.switchboard.discovery.ServiceInstance}s) to {@link dev.switchboard.discovery.CatalogListener}s.
 * Sources live in sub-packages: {@code consul} (blocking queries against Consul's catalog) and
 * {@code file} (static instances, the embedded default). Start reading at {@code ServiceDiscovery}.
 */
package dev.switchboard.discovery;
