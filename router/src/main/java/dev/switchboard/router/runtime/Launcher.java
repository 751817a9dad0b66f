package dev.switchboard.router.runtime;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheckRegistry;
import dev.switchboard.router.admin.AdminServer;
import dev.switchboard.router.admin.RouterHealthChecks;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import dev.switchboard.router.metrics.AccessLog;
import dev.switchboard.router.metrics.MetricNames;
import dev.switchboard.router.metrics.RequestMetrics;
import dev.switchboard.router.metrics.RouterGauges;
import dev.switchboard.router.proxy.ExchangeListener;
import dev.switchboard.router.proxy.RoutingState;
import dev.switchboard.router.server.ProxyServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composes a running router with what operators need around it: request metrics and the access
 * log (as the proxy's {@link ExchangeListener}), router gauges, config reloading (file watch,
 * SIGHUP, API) and the admin listener. The CLI starts the router through here.
 *
 * <p>Read at start only (a reload does not change them): {@code listen}, {@code admin} (except the
 * token, read per call) and {@code access_log}.
 */
public final class Launcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Launcher.class);

    /**
     * @param watchFile watch the config file for changes
     * @param sighup    reload on SIGHUP (off in tests: the handler is process-wide)
     * @param metricsSyncInterval how often metric holders are reconciled with the routing state
     */
    public record Options(boolean watchFile, boolean sighup, Duration metricsSyncInterval) {
        public static final Options DEFAULT = new Options(true, true, Duration.ofMillis(500));
        public static final Options TEST = new Options(false, false, Duration.ofMillis(100));
    }

    private final Switchboard switchboard;
    private final MetricRegistry metrics;
    private final RequestMetrics requestMetrics;
    private final AccessLog accessLog;
    private final ConfigReloader reloader;
    private final AdminServer admin;
    private final ScheduledExecutorService sync;
    private volatile RoutingState synced;
    private ConsulConfigSource kvConfig;
    private com.codahale.metrics.jmx.JmxReporter jmx;
    private SelfRegistration registration;

    private Launcher(Switchboard switchboard, MetricRegistry metrics, RequestMetrics requestMetrics, AccessLog accessLog,
                     ConfigReloader reloader, AdminServer admin, ScheduledExecutorService sync) {
        this.switchboard = switchboard;
        this.metrics = metrics;
        this.requestMetrics = requestMetrics;
        this.accessLog = accessLog;
        this.reloader = reloader;
        this.admin = admin;
        this.sync = sync;
    }

    public static Launcher start(SwitchboardConfig config, Path configFile, ConfigLoader loader, Options options) throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        MetricNames names = new MetricNames();
        RequestMetrics requestMetrics = new RequestMetrics(metrics, names, ProxyServer.ioThreads(config.listen()));
        AccessLog accessLog = config.accessLog().enabled() ? AccessLog.open(config.accessLog()) : null;
        // -Dswitchboard.requestMetrics=false turns per-request recording off; it exists so the benchmark
        // can measure what recording costs (bench/README.md), not as an operating mode.
        ExchangeListener recorder = Boolean.parseBoolean(System.getProperty("switchboard.requestMetrics", "true"))
                ? requestMetrics : ExchangeListener.NONE;
        ExchangeListener listener = accessLog == null ? recorder : ExchangeListener.both(recorder, accessLog);
        Switchboard sb;
        try {
            sb = Switchboard.start(config, configFile, listener);
        } catch (Exception e) {
            if (accessLog != null) {
                accessLog.close();
            }
            throw e;
        }
        ConfigReloader reloader = new ConfigReloader(sb, loader, Clock.systemUTC(), Duration.ofMillis(200));
        ScheduledExecutorService sync = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-metrics-sync");
            t.setDaemon(true);
            return t;
        });
        AdminServer admin = null;
        com.codahale.metrics.jmx.JmxReporter jmx = null;
        try {
            RouterGauges.register(metrics, sb, Clock.systemUTC());
            registerReloadGauges(metrics, reloader);
            if (accessLog != null) {
                metrics.register("switchboard.access_log.dropped", (Gauge<Long>) accessLog::dropped);
                metrics.register("switchboard.access_log.written", (Gauge<Long>) accessLog::written);
            }
            if (options.watchFile()) {
                reloader.watch();
            }
            if (options.sighup()) {
                reloader.handleSighup();
            }
            if (config.admin().jmx()) {
                jmx = com.codahale.metrics.jmx.JmxReporter.forRegistry(metrics).inDomain("switchboard").build();
                jmx.start();
            }
            if (config.admin().enabled()) {
                HealthCheckRegistry health = RouterHealthChecks.create(sb, reloader, Clock.systemUTC(), Duration.ofMinutes(5));
                admin = new AdminServer(config.admin().address(), config.admin().port(), sb, metrics, names, health, reloader);
            }
        } catch (Exception | Error e) {
            if (jmx != null) {
                jmx.close();
            }
            sync.shutdownNow();
            reloader.close();
            sb.close();
            if (accessLog != null) {
                accessLog.close();
            }
            throw e;
        }
        Launcher launcher = new Launcher(sb, metrics, requestMetrics, accessLog, reloader, admin, sync);
        launcher.jmx = jmx;
        try {
            launcher.startConsulParts(config, configFile, loader);
        } catch (Exception | Error e) {
            launcher.close();
            throw e;
        }
        launcher.syncMetrics();
        long every = options.metricsSyncInterval().toMillis();
        sync.scheduleWithFixedDelay(launcher::syncIfChanged, every, every, TimeUnit.MILLISECONDS);
        return launcher;
    }

    private static void registerReloadGauges(MetricRegistry metrics, ConfigReloader reloader) {
        metrics.register("switchboard.reload.successes", (Gauge<Long>) () -> reloader.status().successes());
        metrics.register("switchboard.reload.failures", (Gauge<Long>) () -> reloader.status().failures());
        metrics.register("switchboard.reload.last_failed", (Gauge<Integer>) () -> reloader.status().lastError() != null ? 1 : 0);
        metrics.register("switchboard.reload.last_success_timestamp_seconds", (Gauge<Double>) () -> {
            var t = reloader.status().lastSuccess();
            return t == null ? 0.0 : t.toEpochMilli() / 1000.0;
        });
    }

    private void syncIfChanged() {
        try {
            if (switchboard.routingState() != synced) {
                syncMetrics();
            }
            requestMetrics.catchUpRates();
        } catch (RuntimeException e) {
            log.warn("metrics sync failed: {}", e.toString());
        }
    }

    /** Reconciles metric holders with the current routing state and backends now. */
    public void syncMetrics() {
        RoutingState state = switchboard.routingState();
        requestMetrics.sync(state, switchboard.registry());
        synced = state;
    }

    public Switchboard switchboard() {
        return switchboard;
    }

    public MetricRegistry metrics() {
        return metrics;
    }

    public RequestMetrics requestMetrics() {
        return requestMetrics;
    }

    public ConfigReloader reloader() {
        return reloader;
    }

    /** The admin listener's port, or -1 when it is disabled. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /**
     * Config from Consul KV (when {@code consul.config_key} is set) and self-registration (when
     * {@code consul.register.enabled}). A Consul that is down at start delays neither: the file config
     * serves and the KV watch catches up; a failed registration is logged.
     */
    private void startConsulParts(SwitchboardConfig config, Path configFile, ConfigLoader loader) throws Exception {
        if (!config.consul().enabled()) {
            return;
        }
        String fileText = configFile == null ? "" : java.nio.file.Files.readString(configFile);
        kvConfig = ConsulConfigSource.create(switchboard, fileText, loader);
        if (kvConfig != null) {
            kvConfig.reportTo(reloader);
            kvConfig.start();
            if (!kvConfig.awaitFirstValue(Duration.ofSeconds(5))) {
                log.warn("consul kv {}: no answer within 5 s; serving the file config until it comes", config.consul().configKey());
            }
            reloader.overlay(kvConfig);
        }
        registration = admin == null ? null : SelfRegistration.create(switchboard, admin.port());
        if (registration != null) {
            try {
                registration.register();
            } catch (dev.switchboard.discovery.consul.ConsulRequestException e) {
                log.error("self-registration in consul failed: {}; the router serves without it", e.getMessage());
            }
        }
    }

    /** SIGTERM path: drain the proxy, deregister from Consul, then stop everything. */
    public void shutdown() {
        switchboard.shutdown();
        if (registration != null) {
            registration.deregister();
        }
        close();
    }

    @Override
    public void close() {
        sync.shutdownNow();
        if (jmx != null) {
            jmx.close();
        }
        if (kvConfig != null) {
            kvConfig.close();
        }
        if (registration != null) {
            registration.close();
        }
        reloader.close();
        if (admin != null) {
            admin.close();
        }
        switchboard.close();
        if (accessLog != null) {
            accessLog.close();
        }
    }
}
