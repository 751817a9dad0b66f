package dev.switchboard.router.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.discovery.DiscoveryStatus;
import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.backend.BackendRegistry;
import dev.switchboard.router.health.HealthSnapshot;
import dev.switchboard.router.metrics.RouterGauges;
import dev.switchboard.router.metrics.Traffic;
import dev.switchboard.router.proxy.RouteBinding;
import dev.switchboard.router.proxy.RoutingState;
import dev.switchboard.router.runtime.ConfigReloader;
import dev.switchboard.router.runtime.Switchboard;
import dev.switchboard.router.table.Route;
import dev.switchboard.router.table.RouteTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The read side of the API: plain maps and lists that Jackson writes as JSON. */
final class ApiViews {

    private final Switchboard sb;
    private final ConfigReloader reloader;

    ApiViews(Switchboard sb, ConfigReloader reloader) {
        this.sb = sb;
        this.reloader = reloader;
    }

    Map<String, Object> routes() {
        RoutingState state = sb.routingState();
        List<Object> list = new ArrayList<>();
        for (Route r : state.table().routes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("host", r.host().describe());
            m.put("path", r.pathPrefix());
            m.put("methods", List.copyOf(r.methods()));
            m.put("headers", r.headers());
            List<Object> targets = new ArrayList<>();
            for (RouteTarget t : r.targets()) {
                targets.add(Map.of("service", t.service(), "weight", t.weight(), "instances",
                        t.allInstances() ? List.of() : t.instances().stream().map(Object::toString).sorted().toList()));
            }
            m.put("targets", targets);
            m.put("source", r.source());
            m.put("access_log", r.accessLog());
            m.put("max_in_flight", r.maxInFlight());
            RouteBinding b = state.binding(r);
            m.put("in_flight", b == null ? 0 : b.inFlight());
            m.put("traffic", b == null ? Traffic.NONE : Traffic.of(b));
            m.put("describe", r.describe());
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", state.version());
        out.put("routes", list);
        out.put("warnings", state.table().warnings());
        out.put("last_build_error", sb.lastBuildError());
        return out;
    }

    String routesText() {
        return sb.routingState().table().describe();
    }

    List<Object> services() {
        BackendRegistry registry = sb.registry();
        List<Object> list = new ArrayList<>();
        long now = System.nanoTime();
        for (Map.Entry<String, List<Backend>> e : registry.snapshot().entrySet()) {
            BackendRegistry.Membership ms = registry.membership(e.getKey());
            if (ms == null) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.getKey());
            m.put("strategy", ms.state().config().strategy());
            m.put("backends", e.getValue().size());
            m.put("healthy", ms.state().health().healthy());
            m.put("ejected", ms.state().health().ejected());
            m.put("panic", ms.state().health().inPanic(now));
            m.put("retry_budget_exhausted", ms.state().budgetExhausted());
            m.put("sources", e.getValue().stream().map(Backend::source).distinct().sorted().toList());
            list.add(m);
        }
        return list;
    }

    List<Object> backends(String service) throws ApiException {
        List<Object> list = new ArrayList<>();
        long now = System.nanoTime();
        Map<String, List<Backend>> all = sb.registry().snapshot();
        if (service != null && !all.containsKey(service)) {
            throw new ApiException(404, "service", "service: " + Json.quoteShort(service) + " (expected: a known service)");
        }
        for (Map.Entry<String, List<Backend>> e : all.entrySet()) {
            if (service != null && !service.equals(e.getKey())) {
                continue;
            }
            for (Backend b : e.getValue()) {
                list.add(backend(b, now));
            }
        }
        return list;
    }

    static Map<String, Object> backend(Backend b, long now) {
        HealthSnapshot h = b.health().snapshot(now);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", b.service());
        m.put("id", b.id().toString());
        m.put("address", b.hostPort());
        m.put("source", b.source());
        m.put("weight", b.weight());
        m.put("weight_overridden", b.hasWeightOverride());
        m.put("effective_weight", b.effectiveWeight(now));
        m.put("draining", b.isDraining());
        m.put("available", h.available() && !b.isDraining()); // takes new requests: healthy, circuit closed, not draining
        m.put("healthy", h.healthy());
        m.put("circuit", h.circuit());
        m.put("in_flight", b.inFlight());
        m.put("ewma_millis", b.latencyEwmaNanos(now) / 1e6);
        m.put("selections", b.selections());
        m.put("connections_open", b.pool().openConnections());
        m.put("connections_idle", b.pool().idleConnections());
        m.put("traffic", Traffic.of(b));
        m.put("health", h);
        return m;
    }

    Map<String, Object> discovery() {
        DiscoveryStatus s = RouterGauges.status(sb);
        Map<String, Object> m = new LinkedHashMap<>(Json.MAPPER.convertValue(s, Map.class));
        m.put("api_backends", sb.apiBackends().values().stream().mapToInt(List::size).sum());
        return m;
    }

    JsonNode config() {
        return Json.redact(Json.MAPPER.valueToTree(sb.config()));
    }

    Map<String, Object> reload() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config_file", sb.configFile() == null ? null : sb.configFile().toString());
        m.put("status", reloader.status());
        m.put("survives_reload", List.of(
                "backends added through the API (kept until removed through the API)",
                "drain and weight overrides of a backend that the new config still has (same identity and address); a backend the reload removes loses them"));
        return m;
    }
}
