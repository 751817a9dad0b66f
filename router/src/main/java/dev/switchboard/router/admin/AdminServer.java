package dev.switchboard.router.admin;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheckRegistry;
import dev.switchboard.router.metrics.MetricNames;
import dev.switchboard.router.metrics.PrometheusExport;
import dev.switchboard.router.runtime.ConfigReloader;
import dev.switchboard.router.runtime.Switchboard;
import io.dropwizard.metrics.servlets.AdminServlet;
import io.dropwizard.metrics.servlets.HealthCheckServlet;
import io.dropwizard.metrics.servlets.MetricsServlet;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ServletStackTraces;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.Servlet;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * The admin listener: its own Undertow server (never the proxy's), default {@code 127.0.0.1:8081},
 * hosting one servlet deployment — Dropwizard's AdminServlet under {@code /admin}, Prometheus text at
 * {@code /metrics}, the JSON API under {@code /api/v1}, {@code /live}, {@code /ready}, and the
 * dashboard at {@code /}.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    /**
     * The most of a refused request body (over the API's 64 KiB, or sent where none is read) that the
     * listener reads and throws away after answering, to keep the connection; a longer one closes it.
     */
    static final long MAX_DISCARD = 16L * 1024 * 1024;
    private static final int BUFFER_SIZE = 16 * 1024;
    static final java.time.Duration CLIENT_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final Undertow server;
    private final DeploymentManager manager;

    public AdminServer(String address, int port, Switchboard sb, MetricRegistry metrics, MetricNames names,
                       HealthCheckRegistry health, ConfigReloader reloader) {
        PrometheusRegistry prometheus = new PrometheusRegistry();
        prometheus.register(new PrometheusExport(metrics, names));
        ApiServlet api = new ApiServlet(sb, new ApiViews(sb, reloader), new ApiMutations(sb, reloader));
        DeploymentInfo info = Servlets.deployment()
                .setClassLoader(AdminServer.class.getClassLoader())
                .setContextPath("/")
                .setDeploymentName("switchboard-admin")
                .addServletContextAttribute(MetricsServlet.METRICS_REGISTRY, metrics)
                .addServletContextAttribute(HealthCheckServlet.HEALTH_CHECK_REGISTRY, health)
                .addServlet(Servlets.servlet("admin", AdminServlet.class).addMapping("/admin/*"))
                .addServlet(servlet("prometheus", new PrometheusMetricsServlet(prometheus)).addMapping("/metrics"))
                .addServlet(servlet("api", api).addMapping(ApiServlet.PREFIX + "/*"))
                .addServlet(servlet("live", new ProbeServlet(sb, false)).addMapping("/live"))
                .addServlet(servlet("ready", new ProbeServlet(sb, true)).addMapping("/ready"))
                .addServlet(servlet("dashboard", new DashboardServlet()).addMapping("/"))
                .addServlet(servlet("error", new ErrorServlet()).addMapping(ErrorServlet.PATH))
                .addErrorPage(Servlets.errorPage(ErrorServlet.PATH))
                .setServletStackTraces(ServletStackTraces.NONE);
        this.manager = Servlets.defaultContainer().addDeployment(info);
        manager.deploy();
        try {
            this.server = Undertow.builder()
                    .addHttpListener(port, address)
                    .setIoThreads(1)
                    .setWorkerThreads(4)
                    .setBufferSize(BUFFER_SIZE)
                    .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, MAX_DISCARD)
                    // Slow or idle clients are cut: a request head within 10 s, and no silence longer
                    // than 10 s on a connection (the read timeout also closes an idle keep-alive
                    // connection after 10 s; NO_REQUEST_TIMEOUT is the bound when it is not armed).
                    .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) CLIENT_TIMEOUT.toMillis())
                    .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                    .setSocketOption(Options.READ_TIMEOUT, (int) CLIENT_TIMEOUT.toMillis())
                    .setSocketOption(Options.WRITE_TIMEOUT, 30_000)
                    .setHandler(new AdminGate(manager.start(), BUFFER_SIZE, () -> sb.config().admin().token()))
                    .build();
        } catch (jakarta.servlet.ServletException e) {
            throw new IllegalStateException("admin deployment failed: " + e.getMessage(), e);
        }
        server.start();
        log.info("admin listener on {}:{}", address, port());
    }

    private static io.undertow.servlet.api.ServletInfo servlet(String name, Servlet s) {
        return Servlets.servlet(name, s.getClass(), new ImmediateInstanceFactory<>(s));
    }

    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        server.stop();
        try {
            manager.stop();
        } catch (jakarta.servlet.ServletException e) {
            log.debug("admin deployment stop: {}", e.getMessage());
        }
        manager.undeploy();
    }
}
