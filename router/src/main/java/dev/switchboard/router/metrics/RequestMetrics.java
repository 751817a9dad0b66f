package dev.switchboard.router.metrics;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.backend.BackendRegistry;
import dev.switchboard.router.health.Outcome;
import dev.switchboard.router.proxy.ExchangeListener;
import dev.switchboard.router.proxy.ProxyError;
import dev.switchboard.router.proxy.RequestInfo;
import dev.switchboard.router.proxy.RouteBinding;
import dev.switchboard.router.proxy.RoutingState;
import io.undertow.server.HttpServerExchange;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioIoThread;

/**
 * Per-route and per-backend request metrics, failed attempts per backend, and the responses the
 * router answered itself by error code. {@link #completed} runs on the IO thread once per
 * request: it reads the holder cached on the {@link RouteBinding} and the {@link Backend} (resolved
 * once per object) and updates lock-free counters; no name is composed and no map is consulted.
 * {@link #sync} reconciles the holders with a routing state: it registers metrics for new routes,
 * services and backends and removes those of the ones that are gone, so churn does not grow the
 * registry.
 */
public final class RequestMetrics implements ExchangeListener {

    private static final Logger log = LoggerFactory.getLogger(RequestMetrics.class);

    private final MetricRegistry registry;
    private final MetricNames names;
    private final int ioThreads;
    private final Map<String, RouteMetrics> routes = new HashMap<>();
    private final Map<Backend, BackendMetrics> backends = new IdentityHashMap<>();
    private final Map<String, ServiceMetrics> services = new HashMap<>();

    /** Responses the router answered itself, by {@link ProxyError} ordinal. */
    private final Meter[] errors = new Meter[ProxyError.values().length];

    /** {@code ioThreads}: how many IO threads complete requests (each records into its own cells). */
    public RequestMetrics(MetricRegistry registry, MetricNames names, int ioThreads) {
        this.registry = registry;
        this.names = names;
        this.ioThreads = ioThreads;
        for (ProxyError e : ProxyError.values()) {
            errors[e.ordinal()] = registry.register(names.name("switchboard.proxy.errors", "code", e.code()), new Meter());
        }
    }

    @Override
    public void completed(HttpServerExchange exchange, RouteBinding route, Backend backend, RequestInfo info, long nanos) {
        ProxyError error = info.error();
        if (error != null) {
            errors[error.ordinal()].mark();
        }
        if (route == null) {
            return; // answered before a route was chosen: counted by its error only
        }
        Object slot = route.metricsSlot();
        RouteMetrics rm = slot != null ? (RouteMetrics) slot : resolve(route);
        int cls = TrafficMetrics.statusClass(exchange.getStatusCode());
        long in = info.requestLength();
        long out = exchange.getResponseBytesSent();
        XnioIoThread io = exchange.getIoThread();
        int thread = Thread.currentThread() == io ? io.getNumber() : -1;
        long end = info.startNanos() + nanos;
        rm.record(thread, nanos, end, cls, in, out);
        int retries = info.retries();
        if (retries > 0) {
            rm.retries.inc(retries);
        }
        if (backend != null) {
            metricsOf(backend).record(thread, nanos, end, cls, in, out);
        }
    }

    @Override
    public void attemptFailed(Backend backend, Outcome outcome) {
        metricsOf(backend).attemptFailed(outcome);
    }

    private BackendMetrics metricsOf(Backend backend) {
        Object slot = backend.metricsSlot();
        return slot != null ? (BackendMetrics) slot : resolve(backend);
    }

    private synchronized RouteMetrics resolve(RouteBinding binding) {
        RouteMetrics rm = routes.computeIfAbsent(binding.name(), n -> new RouteMetrics(registry, names, ioThreads, n));
        rm.bind(binding);
        binding.metricsSlot(rm);
        return rm;
    }

    private synchronized BackendMetrics resolve(Backend b) {
        BackendMetrics bm = backends.get(b);
        if (bm == null) {
            // A request that raced the backend's removal, or arrived before the next sync.
            bm = b.isRemoved() ? BackendMetrics.detached(b) : register(b);
        }
        b.metricsSlot(bm);
        return bm;
    }

    private BackendMetrics register(Backend b) {
        BackendMetrics bm;
        try {
            bm = new BackendMetrics(registry, names, ioThreads, b, b.service(), b.id().toString());
        } catch (IllegalArgumentException e) {
            // The same identity is registered by a backend object that is leaving: count this one apart.
            log.debug("backend {} metrics not registered: {}", b, e.getMessage());
            return BackendMetrics.detached(b);
        }
        backends.put(b, bm);
        return bm;
    }

    /** Registers metrics for what {@code state} and {@code registry} hold now and removes the rest. */
    public synchronized void sync(RoutingState state, BackendRegistry backendRegistry) {
        Set<String> liveRoutes = new HashSet<>();
        for (RouteBinding binding : state.bindings()) {
            liveRoutes.add(binding.name());
        }
        routes.entrySet().removeIf(e -> {
            if (liveRoutes.contains(e.getKey())) {
                return false;
            }
            e.getValue().remove();
            return true;
        });
        for (RouteBinding binding : state.bindings()) {
            resolve(binding);
        }
        Map<String, List<Backend>> live = backendRegistry.snapshot();
        Set<Backend> liveBackends = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        live.values().forEach(liveBackends::addAll);
        backends.entrySet().removeIf(e -> {
            if (liveBackends.contains(e.getKey())) {
                return false;
            }
            e.getValue().remove();
            return true;
        });
        services.entrySet().removeIf(e -> {
            if (live.containsKey(e.getKey())) {
                return false;
            }
            e.getValue().remove();
            return true;
        });
        for (Map.Entry<String, List<Backend>> e : live.entrySet()) {
            services.computeIfAbsent(e.getKey(), s -> new ServiceMetrics(registry, names, backendRegistry, s));
            for (Backend b : e.getValue()) {
                BackendMetrics bm = backends.get(b);
                if (bm == null) {
                    bm = register(b);
                }
                b.metricsSlot(bm);
            }
        }
    }

    /** Brings the moving-average rates of every route and backend up to date with their counts. */
    public synchronized void catchUpRates() {
        routes.values().forEach(TrafficMetrics::catchUpRates);
        backends.values().forEach(TrafficMetrics::catchUpRates);
    }

    /** Holders currently registered: routes, backends, services (for tests and the API). */
    public synchronized int[] sizes() {
        return new int[] {routes.size(), backends.size(), services.size()};
    }
}
