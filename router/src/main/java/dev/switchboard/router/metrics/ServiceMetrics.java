package dev.switchboard.router.metrics;

import com.codahale.metrics.MetricRegistry;
import dev.switchboard.router.backend.BackendRegistry;

/** A service's gauges: members, healthy, ejected, panic, retries refused by the budget. */
final class ServiceMetrics extends MetricGroup {

    ServiceMetrics(MetricRegistry registry, MetricNames names, BackendRegistry backends, String service) {
        super(registry, names, "service", service);
        gauge("switchboard.service.instances", () -> {
            var m = backends.membership(service);
            return m == null ? 0 : m.backends().size();
        });
        gauge("switchboard.service.healthy", () -> {
            var m = backends.membership(service);
            return m == null ? 0 : m.state().health().healthy();
        });
        gauge("switchboard.service.ejected", () -> {
            var m = backends.membership(service);
            return m == null ? 0 : m.state().health().ejected();
        });
        gauge("switchboard.service.panic", () -> {
            var m = backends.membership(service);
            return m != null && m.state().health().inPanic(System.nanoTime()) ? 1 : 0;
        });
        gauge("switchboard.service.retry_budget_exhausted", () -> {
            var m = backends.membership(service);
            return m == null ? 0L : m.state().budgetExhausted();
        });
    }
}
