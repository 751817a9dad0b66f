package dev.switchboard.router.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import dev.switchboard.router.proxy.RouteBinding;

/** A route's metrics; they outlive routing-state rebuilds and are removed when the route disappears. */
final class RouteMetrics extends TrafficMetrics {

    final Counter retries;
    private volatile RouteBinding binding;

    RouteMetrics(MetricRegistry registry, MetricNames names, int ioThreads, String route) {
        super(registry, names, ioThreads, "switchboard.route", "route", route);
        retries = counter("switchboard.route.retries");
        gauge("switchboard.route.in_flight", () -> {
            RouteBinding b = binding;
            return b == null ? 0 : b.inFlight();
        });
    }

    void bind(RouteBinding current) {
        this.binding = current;
    }
}
