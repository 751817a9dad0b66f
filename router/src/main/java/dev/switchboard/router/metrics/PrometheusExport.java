package dev.switchboard.router.metrics;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Dropwizard registry as Prometheus metric families, one family per name with a data point per
 * label set. Prometheus-metrics 1.4's {@link DropwizardExports} turns every Dropwizard metric into a
 * family of its own, so two routes' {@code switchboard.route.bytes_in.<route>} both become a family
 * {@code switchboard_route_bytes_in} and the whole scrape fails with "duplicate metric name"
 * (client_java issue #1712). Here the registry is split, per scrape, into layers in which every
 * exported name occurs once; {@link DropwizardExports} converts each layer (so names, labels, types
 * and quantiles stay exactly its own), and the families are merged by name.
 */
public final class PrometheusExport implements MultiCollector {

    private final MetricRegistry registry;
    private final MetricNames names;

    public PrometheusExport(MetricRegistry registry, MetricNames names) {
        this.registry = registry;
        this.names = names;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricRegistry> layers = new ArrayList<>();
        Map<String, Integer> occurrences = new HashMap<>();
        registry.getMetrics().forEach((name, metric) -> {
            String exported = PrometheusNaming.sanitizeMetricName(names.getName(name));
            int layer = occurrences.merge(exported, 1, Integer::sum) - 1;
            if (layer == layers.size()) {
                layers.add(new MetricRegistry());
            }
            layers.get(layer).register(name, metric);
        });
        Map<String, List<MetricSnapshot>> families = new LinkedHashMap<>();
        for (MetricRegistry layer : layers) {
            for (MetricSnapshot family : new DropwizardExports(layer, MetricFilter.ALL, names).collect()) {
                families.computeIfAbsent(family.getMetadata().getPrometheusName(), k -> new ArrayList<>()).add(family);
            }
        }
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        families.values().forEach(parts -> out.metricSnapshot(merge(parts)));
        return out.build();
    }

    /** One family from same-named ones of one type (DropwizardExports makes counters, gauges and summaries). */
    static MetricSnapshot merge(List<MetricSnapshot> parts) {
        MetricSnapshot first = parts.get(0);
        if (parts.size() == 1) {
            return first;
        }
        MetricMetadata m = first.getMetadata();
        MetricMetadata merged = new MetricMetadata(m.getName(),
                m.getHelp().replaceFirst("metric=[^,]*", "metric=" + m.getPrometheusName() + ", one per label set"), m.getUnit());
        if (first instanceof CounterSnapshot) {
            return new CounterSnapshot(merged, points(parts, CounterSnapshot.class, CounterSnapshot::getDataPoints));
        }
        if (first instanceof GaugeSnapshot) {
            return new GaugeSnapshot(merged, points(parts, GaugeSnapshot.class, GaugeSnapshot::getDataPoints));
        }
        if (first instanceof SummarySnapshot) {
            return new SummarySnapshot(merged, points(parts, SummarySnapshot.class, SummarySnapshot::getDataPoints));
        }
        throw new IllegalStateException(m.getPrometheusName() + ": cannot merge " + first.getClass().getSimpleName() + " families");
    }

    private static <S extends MetricSnapshot, P extends DataPointSnapshot> List<P> points(
            List<MetricSnapshot> parts, Class<S> type, Function<S, List<P>> dataPoints) {
        List<P> all = new ArrayList<>();
        for (MetricSnapshot part : parts) {
            if (!type.isInstance(part)) {
                throw new IllegalStateException(part.getMetadata().getPrometheusName() + ": a "
                        + type.getSimpleName() + " and a " + part.getClass().getSimpleName() + " share the name");
            }
            all.addAll(dataPoints.apply(type.cast(part)));
        }
        return all;
    }
}
