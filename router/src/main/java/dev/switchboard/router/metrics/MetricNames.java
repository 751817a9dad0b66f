package dev.switchboard.router.metrics;

import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names of labelled metrics. Dropwizard has no labels, so a per-route or per-backend metric gets a
 * dotted name ({@code switchboard.backend.requests.<service>.<backend>}) for the JSON view, and this
 * mapper turns it back into a Prometheus name with labels ({@code
 * switchboard_backend_requests{service="…",backend="…"}}). Values are never parsed out of the dotted
 * name (they may contain dots); the mapping is remembered when the metric is registered.
 */
public final class MetricNames extends CustomLabelMapper {

    private record Mapped(String name, List<String> labelNames, List<String> labelValues) {
    }

    /** The exporter asks for a meter's name with this appended (it exports a meter as a counter). */
    private static final String METER_SUFFIX = "_total";

    private final Map<String, Mapped> mapped = new ConcurrentHashMap<>();

    public MetricNames() {
        super(List.of(new MapperConfig("switchboard.unmapped.*", "switchboard_unmapped", Map.of())));
    }

    /**
     * The Dropwizard name for {@code base} with labels given as name, value pairs; remembers the
     * Prometheus form.
     */
    public String name(String base, String... labels) {
        StringBuilder sb = new StringBuilder(base);
        List<String> names = new ArrayList<>(labels.length / 2);
        List<String> values = new ArrayList<>(labels.length / 2);
        for (int i = 0; i + 1 < labels.length; i += 2) {
            names.add(labels[i]);
            values.add(labels[i + 1]);
            sb.append('.').append(labels[i + 1]);
        }
        String name = sb.toString();
        mapped.put(name, new Mapped(base.replace('.', '_'), List.copyOf(names), List.copyOf(values)));
        return name;
    }

    /** Forgets a name whose metric was removed. */
    public void forget(String name) {
        mapped.remove(name);
    }

    private Mapped meter(String dropwizardName) {
        return dropwizardName.endsWith(METER_SUFFIX)
                ? mapped.get(dropwizardName.substring(0, dropwizardName.length() - METER_SUFFIX.length())) : null;
    }

    int size() {
        return mapped.size();
    }

    @Override
    public String getName(String dropwizardName) {
        Mapped m = mapped.get(dropwizardName);
        if (m != null) {
            return m.name();
        }
        m = meter(dropwizardName);
        return m != null ? m.name() + METER_SUFFIX : dropwizardName;
    }

    @Override
    public Labels getLabels(String dropwizardName, List<String> additionalNames, List<String> additionalValues) {
        Mapped m = mapped.get(dropwizardName);
        if (m == null) {
            m = meter(dropwizardName);
        }
        if (m == null) {
            return Labels.of(additionalNames, additionalValues);
        }
        List<String> names = new ArrayList<>(m.labelNames());
        List<String> values = new ArrayList<>(m.labelValues());
        names.addAll(additionalNames);
        values.addAll(additionalValues);
        return Labels.of(names, values);
    }
}
