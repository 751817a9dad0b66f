package dev.switchboard.router.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import com.codahale.metrics.jvm.ThreadStatesGaugeSet;
import dev.switchboard.discovery.DiscoveryStatus;
import dev.switchboard.discovery.ServiceDiscovery;
import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.runtime.Switchboard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.ToLongFunction;

/** Router-wide gauges: discovery, the proxy listener and upstream pools, and the JVM. */
public final class RouterGauges {

    private RouterGauges() {
    }

    public static void register(MetricRegistry registry, Switchboard sb, Clock clock) {
        registry.register("switchboard.proxy.in_flight", (Gauge<Long>) () -> sb.server().inFlight());
        registry.register("switchboard.proxy.draining", (Gauge<Integer>) () -> sb.server().isDraining() ? 1 : 0);
        registry.register("switchboard.proxy.routes", (Gauge<Integer>) () -> sb.routingState().table().size());
        registry.register("switchboard.proxy.routing_state_version", (Gauge<Long>) () -> sb.routingState().version());
        registry.register("switchboard.proxy.queue_depth", (Gauge<Long>) () -> sumBackends(sb, b -> b.pool().queued()));
        registry.register("switchboard.proxy.upstream_connections_open", (Gauge<Long>) () -> sumBackends(sb, b -> b.pool().openConnections()));
        registry.register("switchboard.proxy.upstream_connections_idle", (Gauge<Long>) () -> sumBackends(sb, b -> b.pool().idleConnections()));

        registry.register("switchboard.discovery.ready", (Gauge<Integer>) () -> status(sb).ready() ? 1 : 0);
        registry.register("switchboard.discovery.stale", (Gauge<Integer>) () -> status(sb).stale() ? 1 : 0);
        registry.register("switchboard.discovery.sync_age_seconds", (Gauge<Double>) () -> {
            Instant last = status(sb).lastSuccess();
            return last == null ? -1.0 : Duration.between(last, clock.instant()).toMillis() / 1000.0;
        });
        registry.register("switchboard.discovery.errors", (Gauge<Long>) () -> status(sb).errorCount());
        registry.register("switchboard.discovery.requests", (Gauge<Long>) () -> status(sb).requests());
        registry.register("switchboard.discovery.watches", (Gauge<Integer>) () -> status(sb).watches());
        registry.register("switchboard.discovery.services", (Gauge<Integer>) () -> status(sb).services());
        registry.register("switchboard.discovery.instances", (Gauge<Integer>) () -> status(sb).instances());

        registry.register("jvm.memory", new MemoryUsageGaugeSet());
        registry.register("jvm.gc", new GarbageCollectorMetricSet());
        registry.register("jvm.threads", new ThreadStatesGaugeSet());
    }

    /** The discovery status; a static-only router reports a ready {@code static} source. */
    public static DiscoveryStatus status(Switchboard sb) {
        ServiceDiscovery d = sb.discovery();
        if (d != null) {
            return d.status();
        }
        int instances = 0;
        for (List<Backend> bs : sb.registry().snapshot().values()) {
            instances += bs.size();
        }
        return new DiscoveryStatus("static", true, null, null, null, 0, sb.registry().serviceNames().size(), instances);
    }

    private static long sumBackends(Switchboard sb, ToLongFunction<Backend> f) {
        long n = 0;
        for (List<Backend> bs : sb.registry().snapshot().values()) {
            for (Backend b : bs) {
                n += f.applyAsLong(b);
            }
        }
        return n;
    }
}
