package dev.switchboard.router.runtime;

import dev.switchboard.discovery.consul.ConsulRegistration;
import dev.switchboard.discovery.consul.ConsulRequestException;
import dev.switchboard.discovery.consul.ConsulSettings;
import dev.switchboard.router.config.ConsulConfig;
import dev.switchboard.router.config.SwitchboardConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers this router in Consul ({@code consul.register}) so that clients, DNS and upstream load
 * balancers find every instance: name {@code consul.register.service_name}, ID
 * {@code <name>-<host>-<port>} (unique per instance), the advertised address and the proxy port,
 * with an HTTP check on the admin listener's {@code /live}. Consul removes an instance whose check
 * stays critical for {@link #DEREGISTER_CRITICAL_AFTER} (a router that died without deregistering).
 *
 * <p>Advertised address: {@code consul.register.address}, else {@code listen.address} unless it is a
 * wildcard, else the host name. The check URL uses {@code admin.address}, or the advertised address
 * when the admin listener binds a wildcard.
 *
 * <p>Lifecycle: {@link #register()} after the router and its admin listener are up;
 * {@link #deregister()} on shutdown after draining. Never throws after registration: Consul being
 * unreachable on shutdown is logged (the check then fails and Consul reaps the instance).
 */
public final class SelfRegistration implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SelfRegistration.class);

    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEREGISTER_CRITICAL_AFTER = Duration.ofMinutes(1);

    private final ConsulRegistration.Service service;
    private final ConsulRegistration consul;
    private boolean registered;

    /**
     * @param service what to register ({@link #describe})
     * @param settings how to reach the local agent
     */
    public SelfRegistration(ConsulRegistration.Service service, ConsulSettings settings) {
        this.service = Objects.requireNonNull(service, "service");
        this.consul = new ConsulRegistration(settings);
    }

    /**
     * The registration the config asks for, or null when {@code consul.register.enabled} is false.
     *
     * @param adminPort the admin listener's bound port (differs from {@code admin.port} when that is 0)
     * @throws IllegalStateException if the admin listener is disabled: there is nothing to check
     */
    public static SelfRegistration create(Switchboard switchboard, int adminPort) {
        SwitchboardConfig c = switchboard.config();
        if (!c.consul().register().enabled()) {
            return null;
        }
        return new SelfRegistration(describe(c, switchboard.port(), adminPort, localHostName()),
                ConsulDiscoveries.settings(c, System.getenv()));
    }

    /**
     * What to register for a router with this config.
     *
     * @param proxyPort the proxy listener's bound port
     * @param adminPort the admin listener's bound port
     * @param hostName  this machine's name
     */
    static ConsulRegistration.Service describe(SwitchboardConfig c, int proxyPort, int adminPort, String hostName) {
        ConsulConfig.RegisterConfig r = c.consul().register();
        if (!c.admin().enabled()) {
            throw new IllegalStateException("consul.register.enabled: true needs admin.enabled: true"
                    + " (the Consul check polls the admin listener's /live)");
        }
        String advertised = r.address() != null && !r.address().isBlank() ? r.address().strip()
                : !isWildcard(c.listen().address()) ? c.listen().address() : hostName;
        String checkHost = !isWildcard(c.admin().address()) ? c.admin().address() : advertised;
        String id = r.serviceName() + "-" + idPart(hostName) + "-" + proxyPort;
        String checkUrl = "http://" + urlHost(checkHost) + ":" + adminPort + "/live";
        return new ConsulRegistration.Service(r.serviceName(), id, advertised, proxyPort, List.of(), Map.of(),
                checkUrl, CHECK_INTERVAL, CHECK_TIMEOUT, DEREGISTER_CRITICAL_AFTER);
    }

    static boolean isWildcard(String address) {
        if (address == null) {
            return true;
        }
        String a = address.strip();
        return a.isEmpty() || a.equals("*") || a.equals("0.0.0.0") || a.equals("::") || a.equals("[::]")
                || a.equals("0:0:0:0:0:0:0:0");
    }

    private static String urlHost(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Host names may carry characters Consul IDs should not: keep letters, digits, '.', '-' and '_'. */
    private static String idPart(String hostName) {
        return hostName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
    }

    static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isBlank() ? env.strip() : "localhost";
        }
    }

    /** Registers (or re-registers: Consul replaces a service with the same ID). */
    public synchronized void register() throws ConsulRequestException {
        consul.register(service);
        registered = true;
    }

    /**
     * Removes the registration; call after the router has drained. Idempotent; failures are logged
     * in one line, not thrown.
     */
    public synchronized void deregister() {
        if (!registered) {
            return;
        }
        registered = false;
        try {
            consul.deregister(service.id());
        } catch (ConsulRequestException e) {
            log.warn("consul: could not deregister {} ({}); Consul removes it {} s after its check turns critical",
                    service.id(), e.getMessage(), DEREGISTER_CRITICAL_AFTER.toSeconds());
        }
    }

    public ConsulRegistration.Service service() {
        return service;
    }

    public synchronized boolean registered() {
        return registered;
    }

    /** Deregisters if still registered, then releases the HTTP client. */
    @Override
    public void close() {
        deregister();
        consul.close();
    }
}
