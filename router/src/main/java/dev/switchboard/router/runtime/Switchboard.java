package dev.switchboard.router.runtime;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.ServiceDiscovery;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.router.backend.BackendRegistry;
import dev.switchboard.router.config.SwitchboardConfig;
import dev.switchboard.router.health.LoggingHealthEvents;
import dev.switchboard.router.proxy.ExchangeListener;
import dev.switchboard.router.proxy.RoutingHandler;
import dev.switchboard.router.proxy.RoutingState;
import dev.switchboard.router.proxy.TrustedProxies;
import dev.switchboard.router.server.ProxyServer;
import dev.switchboard.router.table.RouteTableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running router: the public listener, the backend registry, discovery, and the control thread
 * that rebuilds the routing state whenever the catalog or the config changes. Stateless beyond
 * what it learns from config and Consul, so any number of instances can run side by side.
 */
public final class Switchboard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Switchboard.class);
    static final Duration FIRST_CATALOG_WAIT = Duration.ofSeconds(5);

    private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "switchboard-control");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<RoutingState> state = new AtomicReference<>(RoutingState.EMPTY);
    private final Map<String, List<ServiceInstance>> apiInstances = new ConcurrentHashMap<>();
    private final ProxyServer server;
    private final BackendRegistry registry;
    private final RoutingStateBuilder builder;
    private final Path configFile;
    private final ServiceDiscovery discovery;
    private volatile SwitchboardConfig config;
    private final SwitchboardConfig startConfig;
    private volatile CatalogSnapshot catalog = CatalogSnapshot.EMPTY;
    private volatile String lastBuildError;
    private volatile boolean stopped;

    private Switchboard(SwitchboardConfig config, Path configFile, ExchangeListener listener) {
        this.config = config;
        this.startConfig = config;
        this.configFile = configFile;
        RoutingHandler handler = new RoutingHandler(state::get, config.listen(),
                TrustedProxies.parse(config.listen().trustedProxies()), listener);
        // Bound now, accepting only once the first routing state is published (see start): a client
        // that connects early waits in the backlog instead of getting 404 from an empty table.
        this.server = new ProxyServer(config.listen(), handler);
        this.registry = new BackendRegistry(server.ioThreads(), config.upstream(), new LoggingHealthEvents(), System::nanoTime);
        this.builder = new RoutingStateBuilder(registry);
        this.discovery = Discoveries.create(config);
    }

    /** Starts a router and waits until its first routing state is published. */
    public static Switchboard start(SwitchboardConfig config, Path configFile) throws Exception {
        return start(config, configFile, ExchangeListener.NONE);
    }

    public static Switchboard start(SwitchboardConfig config, Path configFile, ExchangeListener listener) throws Exception {
        Switchboard sb = new Switchboard(config, configFile, listener);
        try {
            if (sb.discovery != null) {
                CompletableFuture<Void> firstCatalog = new CompletableFuture<>();
                sb.discovery.addListener(snapshot -> {
                    sb.catalog = snapshot;
                    sb.rebuild("catalog");
                    firstCatalog.complete(null);
                });
                sb.discovery.start();
                awaitFirstCatalog(sb.discovery, firstCatalog);
            }
            sb.rebuild("start").get(30, TimeUnit.SECONDS);
            sb.server.start();
        } catch (Exception e) {
            sb.close();
            throw e;
        }
        log.info("switchboard listening on {}:{} ({} IO threads), {} route(s)", config.listen().address(),
                sb.port(), sb.server.ioThreads(), sb.state.get().table().size());
        return sb;
    }

    /**
     * Routes from Consul exist only once a catalog is in: accepting before it would answer early
     * clients 404 (they wait in the listen backlog instead, the socket is bound). A restored
     * snapshot counts; past {@link #FIRST_CATALOG_WAIT} the router starts with the config's routes
     * and Consul's follow when it answers.
     */
    private static void awaitFirstCatalog(ServiceDiscovery discovery, CompletableFuture<Void> firstCatalog)
            throws InterruptedException {
        try {
            CompletableFuture.anyOf(firstCatalog, discovery.whenReady().toCompletableFuture())
                    .get(FIRST_CATALOG_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            log.warn("consul: no catalog within {} ms of start{}; accepting with the config's routes, Consul's follow when it answers",
                    FIRST_CATALOG_WAIT.toMillis(), e instanceof java.util.concurrent.ExecutionException x ? " (" + x.getCause() + ")" : "");
        }
    }

    /** Schedules a rebuild of the routing state on the control thread. */
    Future<?> rebuild(String reason) {
        return control.submit(() -> {
            try {
                RoutingState next = builder.build(config, catalog, apiInstances);
                state.set(next);
                registry.retirePending();
                lastBuildError = null;
                log.debug("routing state v{} built ({}): {} route(s)", next.version(), reason, next.table().size());
            } catch (RouteTableException e) {
                lastBuildError = e.getMessage();
                log.error("routing state not rebuilt ({}): {}; keeping the previous one", reason, e.getMessage());
            } catch (RuntimeException e) {
                lastBuildError = e.toString();
                log.error("routing state not rebuilt ({}): keeping the previous one", reason, e);
            }
        });
    }

    public int port() {
        return server.port();
    }

    public RoutingState routingState() {
        return state.get();
    }

    public BackendRegistry registry() {
        return registry;
    }

    public SwitchboardConfig config() {
        return config;
    }

    /** The config the router started with: its listen, admin, consul and access_log sections are the running ones. */
    public SwitchboardConfig startConfig() {
        return startConfig;
    }

    public Path configFile() {
        return configFile;
    }

    public String lastBuildError() {
        return lastBuildError;
    }

    public ProxyServer server() {
        return server;
    }

    /**
     * Replaces the config (already validated) and rebuilds; backends that did not change keep their
     * state. The {@code listen} and {@code admin} sections take effect only at the next start.
     *
     * @throws RouteTableException if the new routes cannot be built; the old config stays
     */
    public void applyConfig(SwitchboardConfig newConfig, String reason) throws RouteTableException {
        try {
            control.submit(() -> {
                RoutingState next = builder.build(newConfig, catalog, apiInstances);
                config = newConfig;
                state.set(next);
                registry.retirePending();
                lastBuildError = null;
                log.info("config applied ({}): {} service(s), {} route(s)", reason, newConfig.services().size(), next.table().size());
                if (discovery != null) {
                    ConsulDiscoveries.configChanged(discovery, newConfig);
                }
                return null;
            }).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RouteTableException rte) {
                throw rte;
            }
            throw new IllegalStateException("config not applied: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying config", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("config not applied within 30 s", e);
        }
    }

    /**
     * Adds a backend to a service at runtime (admin API). It lives until removed through the API;
     * a config reload keeps it.
     */
    public void addApiBackend(ServiceInstance instance) throws Exception {
        apiInstances.compute(instance.service(), (k, list) -> {
            List<ServiceInstance> next = new java.util.ArrayList<>(list == null ? List.of() : list);
            next.removeIf(i -> i.id().equals(instance.id()));
            next.add(instance);
            return List.copyOf(next);
        });
        rebuild("api add " + instance.service()).get(30, TimeUnit.SECONDS);
    }

    /** Removes a backend added through the API; false if there was none with that identity. */
    public boolean removeApiBackend(String service, dev.switchboard.discovery.InstanceId id) throws Exception {
        boolean[] removed = {false};
        apiInstances.computeIfPresent(service, (k, list) -> {
            List<ServiceInstance> next = new java.util.ArrayList<>(list);
            removed[0] = next.removeIf(i -> i.id().equals(id));
            return next.isEmpty() ? null : List.copyOf(next);
        });
        if (removed[0]) {
            rebuild("api remove " + service).get(30, TimeUnit.SECONDS);
        }
        return removed[0];
    }

    /** Backends added through the admin API, by service. */
    public Map<String, List<ServiceInstance>> apiBackends() {
        return Map.copyOf(apiInstances);
    }

    /** Rebuilds selectors after a backend's weight or drain state changed (admin API). */
    public void refresh(String reason) throws Exception {
        rebuild(reason).get(30, TimeUnit.SECONDS);
    }

    /** The catalog as last received from discovery. */
    public CatalogSnapshot catalog() {
        return catalog;
    }

    /** The discovery source, or null when everything is static. */
    public ServiceDiscovery discovery() {
        return discovery;
    }

    /** SIGTERM path: stop accepting, drain in-flight requests, then close everything. */
    public void shutdown() {
        if (stopped) {
            return;
        }
        Duration timeout = config.listen().drainTimeout();
        try {
            long left = server.drain(timeout);
            if (left > 0) {
                log.warn("drain timeout of {} ms passed with {} request(s) still in flight; closing them", timeout.toMillis(), left);
            } else {
                log.info("drained: no requests in flight");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (discovery != null) {
            discovery.close();
        }
        control.shutdownNow();
        registry.close();
        server.close();
        log.info("switchboard stopped");
    }
}
