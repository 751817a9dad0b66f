package dev.switchboard.router.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The metrics of one subject (a route, a backend, a service) registered under one set of labels,
 * so that they can be removed together when the subject disappears.
 */
class MetricGroup {

    private final MetricRegistry registry;
    private final MetricNames names;
    private final String[] labels;
    private final List<String> registered = new ArrayList<>();

    MetricGroup(MetricRegistry registry, MetricNames names, String... labels) {
        this.registry = registry;
        this.names = names;
        this.labels = labels;
    }

    /** Registers {@code metric} under {@code base} with the group's labels. */
    final <M extends Metric> M metric(String base, M metric) {
        return register(names.name(base, labels), metric);
    }

    final Counter counter(String base) {
        return metric(base, new Counter());
    }

    /** A counter with one label more than the group's, such as a reason. */
    final Counter counter(String base, String label, String value) {
        String[] more = java.util.Arrays.copyOf(labels, labels.length + 2);
        more[labels.length] = label;
        more[labels.length + 1] = value;
        return register(names.name(base, more), new Counter());
    }

    final <T> void gauge(String base, Supplier<T> value) {
        metric(base, (Gauge<T>) value::get);
    }

    private <M extends Metric> M register(String name, M metric) {
        registry.register(name, metric);
        registered.add(name);
        return metric;
    }

    /** Unregisters everything this group registered. */
    final void remove() {
        for (String name : registered) {
            registry.remove(name);
            names.forget(name);
        }
        registered.clear();
    }
}
