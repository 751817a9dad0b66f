package dev.switchboard.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Labelled Dropwizard metrics of every kind become one Prometheus family per name. */
class PrometheusExportTest {

    final MetricRegistry registry = new MetricRegistry();
    final MetricNames names = new MetricNames();

    private void route(String route, long count) {
        registry.counter(names.name("switchboard.route.bytes_in", "route", route)).inc(count);
        registry.meter(names.name("switchboard.route.responses.2xx", "route", route)).mark(count);
        registry.timer(names.name("switchboard.route.requests", "route", route)).update(count, TimeUnit.MILLISECONDS);
        registry.histogram(names.name("switchboard.route.sizes", "route", route)).update(count);
        registry.register(names.name("switchboard.route.in_flight", "route", route), (Gauge<Long>) () -> count);
    }

    private String text(MetricSnapshots snapshots) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, snapshots);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sameNamedMetricsOfThreeRoutesAreOneFamilyEach() throws Exception {
        route("a", 1);
        route("b", 2);
        route("c.with.dots", 3);
        registry.counter("switchboard.unlabelled").inc(7);

        String text = text(new PrometheusExport(registry, names).collect());

        for (String family : List.of("switchboard_route_bytes_in_total", "switchboard_route_responses_2xx_total", "switchboard_route_requests",
                "switchboard_route_sizes", "switchboard_route_in_flight")) {
            assertThat(text.lines().filter(l -> l.startsWith("# TYPE " + family + " "))).as(family + " in\n" + text).hasSize(1);
        }
        assertThat(text).contains("switchboard_route_bytes_in_total{route=\"a\"} 1.0")
                .contains("switchboard_route_bytes_in_total{route=\"b\"} 2.0")
                .contains("switchboard_route_bytes_in_total{route=\"c.with.dots\"} 3.0")
                .contains("switchboard_route_responses_2xx_total{route=\"b\"} 2.0")
                .contains("switchboard_route_requests_count{route=\"c.with.dots\"} 1")
                .contains("switchboard_route_sizes{route=\"b\",quantile=\"0.5\"} 2.0")
                .contains("switchboard_route_in_flight{route=\"a\"} 1.0")
                .contains("switchboard_unlabelled_total 7.0");
    }

    @Test
    void oneMetricPerNameExportsExactlyAsDropwizardExportsDoes() throws Exception {
        route("only", 5);
        assertThat(text(new PrometheusExport(registry, names).collect()))
                .isEqualTo(text(new DropwizardExports(registry, MetricFilter.ALL, names).collect()));
    }

    @Test
    void theLibraryExporterAloneFailsTheScrapeThisClassExistsFor() {
        route("a", 1);
        route("b", 2);
        assertThatThrownBy(() -> new DropwizardExports(registry, MetricFilter.ALL, names).collect())
                .hasMessageContaining("duplicate metric name");
    }
}
