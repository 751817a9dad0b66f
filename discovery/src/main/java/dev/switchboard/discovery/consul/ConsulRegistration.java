package dev.switchboard.discovery.consul;

import com.ecwid.consul.ConsulException;
import com.ecwid.consul.v1.OperationException;
import com.ecwid.consul.v1.agent.model.NewService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers services with the local Consul agent, each with an HTTP check, and deregisters them.
 * The router uses it to register itself. Errors throw {@link ConsulRequestException} saying which
 * service and why.
 */
public final class ConsulRegistration implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsulRegistration.class);

    /**
     * What to register.
     *
     * @param name                    service name
     * @param id                      service ID, unique on the agent
     * @param address                 address others connect to, or null for the agent's node address
     * @param port                    1..65535
     * @param tags                    tags in order
     * @param meta                    service meta
     * @param checkUrl                URL Consul polls; 2xx passing, 429 warning, else critical
     * @param checkInterval           how often it polls
     * @param checkTimeout            per-poll timeout
     * @param deregisterCriticalAfter Consul removes the service after being critical this long
     */
    public record Service(String name, String id, String address, int port, List<String> tags,
            Map<String, String> meta, String checkUrl, Duration checkInterval, Duration checkTimeout,
            Duration deregisterCriticalAfter) {

        public Service {
            requireText("name", name);
            requireText("id", id);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
            }
            tags = List.copyOf(tags == null ? List.of() : tags);
            meta = Map.copyOf(meta == null ? Map.of() : meta);
            requireText("checkUrl", checkUrl);
            if (!checkUrl.startsWith("http://") && !checkUrl.startsWith("https://")) {
                throw new IllegalArgumentException("checkUrl: " + checkUrl + " (expected: an http(s):// URL)");
            }
            requirePositive("checkInterval", checkInterval);
            requirePositive("checkTimeout", checkTimeout);
            requirePositive("deregisterCriticalAfter", deregisterCriticalAfter);
            if (deregisterCriticalAfter.compareTo(Duration.ofMinutes(1)) < 0) {
                // Consul's reaper runs every 30 s and enforces a one-minute floor
                throw new IllegalArgumentException("deregisterCriticalAfter: " + deregisterCriticalAfter
                        + " (expected: >= PT1M, Consul's minimum)");
            }
        }

        private static void requireText(String field, String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(field + ": '" + v + "' (expected: non-empty)");
            }
        }

        private static void requirePositive(String field, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + ": " + d + " (expected: > 0)");
            }
        }
    }

    private final ConsulHttp http;

    public ConsulRegistration(ConsulSettings settings) {
        this.http = new ConsulHttp(settings);
    }

    public void register(Service s) throws ConsulRequestException {
        NewService ns = new NewService();
        ns.setName(s.name());
        ns.setId(s.id());
        ns.setAddress(s.address());
        ns.setPort(s.port());
        ns.setTags(new ArrayList<>(s.tags()));
        ns.setMeta(new LinkedHashMap<>(s.meta()));
        NewService.Check check = new NewService.Check();
        check.setHttp(s.checkUrl());
        check.setInterval(goDuration(s.checkInterval()));
        check.setTimeout(goDuration(s.checkTimeout()));
        check.setDeregisterCriticalServiceAfter(goDuration(s.deregisterCriticalAfter()));
        ns.setCheck(check);
        try {
            http.client().agentServiceRegister(ns, http.settings().token());
        } catch (OperationException e) {
            throw new ConsulRequestException("register " + s.id() + ": HTTP " + e.getStatusCode() + " "
                    + ConsulHttp.brief(e.getStatusContent()), e.getStatusCode());
        } catch (ConsulException e) {
            throw new ConsulRequestException("register " + s.id() + ": " + ConsulHttp.describe(e), e);
        }
        log.info("consul: registered {} as {} at {}:{} (check {} every {} s)", s.name(), s.id(),
                s.address() == null ? "<node address>" : s.address(), s.port(), s.checkUrl(),
                s.checkInterval().toSeconds());
    }

    public void deregister(String serviceId) throws ConsulRequestException {
        Objects.requireNonNull(serviceId, "serviceId");
        try {
            http.client().agentServiceDeregister(serviceId, http.settings().token());
        } catch (OperationException e) {
            throw new ConsulRequestException("deregister " + serviceId + ": HTTP " + e.getStatusCode() + " "
                    + ConsulHttp.brief(e.getStatusContent()), e.getStatusCode());
        } catch (ConsulException e) {
            throw new ConsulRequestException("deregister " + serviceId + ": " + ConsulHttp.describe(e), e);
        }
        log.info("consul: deregistered {}", serviceId);
    }

    /** A Go duration string ({@code 1500ms}), the form Consul's agent API expects. */
    static String goDuration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    @Override
    public void close() {
        http.close();
    }
}
