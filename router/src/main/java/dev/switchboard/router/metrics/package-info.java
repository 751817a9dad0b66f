/**
 * What the router records about the requests it proxies: Dropwizard metrics per route, per
 * backend and per service ({@link dev.switchboard.router.metrics.RequestMetrics}, the hot-path
 * listener, and its holders), router-wide gauges for discovery, the listener, upstream pools and the
 * JVM ({@link dev.switchboard.router.metrics.RouterGauges}), the Prometheus naming of labelled
 * metrics ({@link dev.switchboard.router.metrics.MetricNames}), and the access log
 * ({@link dev.switchboard.router.metrics.AccessLog}). Start with {@code RequestMetrics}. Metric
 * names are listed in the {@code admin} package documentation.
 */
package dev.switchboard.router.metrics;
