/**
 * The route table: which route, and so which service, a request goes to.
 *
 * <p>Data flow: route definitions (config, admin API, and {@link dev.switchboard.router.table.ConsulRoutes}
 * from the Consul catalog) go through {@link dev.switchboard.router.table.RouteTableBuilder}, a pure
 * function that validates and merges them into an immutable {@link dev.switchboard.router.table.RouteTable};
 * {@link dev.switchboard.router.table.RouteTableHolder} publishes it whole. Per request, the proxy
 * validates the path with {@link dev.switchboard.router.table.RequestPath}, calls
 * {@link dev.switchboard.router.table.RouteTable#match}, picks a weighted
 * {@link dev.switchboard.router.table.RouteTarget}, and rewrites the path with the route's
 * {@link dev.switchboard.router.table.PathRewriter}.
 *
 * <p>Start reading at {@code RouteTable} (its Javadoc states the matching rules), then
 * {@code RequestPath} (what a path must look like) and {@code ConsulRoutes} (the Fabio tag grammar).
 */
package dev.switchboard.router.table;
