package dev.switchboard.router.config;

import dev.switchboard.discovery.consul.ConsulSettings;
import dev.switchboard.router.proxy.TrustedProxies;
import dev.switchboard.router.table.RouteTableBuilder;
import java.util.List;

/**
 * Semantic checks after binding. Collects every problem (not just the first), each as
 * {@code field.path: value (expected: …)}. Services are checked by {@link ServiceValidator}; route
 * shape (paths, hosts, methods, rewrites, timeouts) by the route table builder, whose problems are
 * included; this class adds only what needs the whole file (is the target service declared?). Secrets are
 * never printed, only their length.
 */
final class ConfigValidator {

    private final Problems problems = new Problems();

    private ConfigValidator() {
    }

    static List<String> validate(SwitchboardConfig c) {
        ConfigValidator v = new ConfigValidator();
        v.listen(c.listen());
        v.admin(c.admin(), c.listen());
        v.upstream(c.upstream());
        v.consul(c.consul());
        if (c.consul().register().enabled() && !c.admin().enabled()) {
            v.problems.add("consul.register.enabled: true (expected: admin.enabled: true, whose /live endpoint is the registration's health check)");
        }
        c.services().forEach((name, s) -> ServiceValidator.check(name, s, v.problems));
        v.routes(c);
        v.accessLog(c.accessLog());
        return v.problems.list();
    }

    private void listen(ListenConfig l) {
        problems.port("listen.port", l.port());
        problems.notBlank("listen.address", l.address());
        problems.range("listen.io_threads", l.ioThreads(), 0, 256);
        problems.range("listen.max_header_size", l.maxHeaderSize(), 1024, 1024 * 1024);
        problems.range("listen.max_url_length", l.maxUrlLength(), 64, 1024 * 1024);
        problems.range("listen.max_request_body", l.maxRequestBody(), 0, Long.MAX_VALUE);
        problems.positive("listen.idle_timeout", l.idleTimeout());
        problems.positive("listen.request_header_timeout", l.requestHeaderTimeout());
        problems.nonNegative("listen.drain_timeout", l.drainTimeout());
        for (int i = 0; i < l.trustedProxies().size(); i++) {
            try {
                TrustedProxies.parse(List.of(l.trustedProxies().get(i)));
            } catch (IllegalArgumentException e) {
                problems.add("listen.trusted_proxies[" + i + "]: " + e.getMessage());
            }
        }
    }

    private void admin(AdminConfig a, ListenConfig l) {
        problems.port("admin.port", a.port());
        problems.notBlank("admin.address", a.address());
        if (a.enabled() && a.port() != 0 && a.port().equals(l.port())) {
            problems.add("admin.port: " + a.port() + " (expected: a port other than listen.port, or admin.enabled: false)");
        }
        if (a.token() != null && a.token().length() < 16) {
            problems.add("admin.token: <redacted, " + a.token().length()
                    + " characters> (expected: at least 16 characters, here or in SWITCHBOARD_ADMIN_TOKEN)");
        }
    }

    private void upstream(UpstreamConfig u) {
        problems.range("upstream.connections_per_thread", u.connectionsPerThread(), 1, 100_000);
        problems.range("upstream.max_queue", u.maxQueue(), 0, 1_000_000);
        problems.positive("upstream.queue_timeout", u.queueTimeout());
        problems.nonNegative("upstream.keep_alive_ttl", u.keepAliveTtl());
        problems.timeouts("upstream.timeouts", u.timeouts());
    }

    private void consul(ConsulConfig k) {
        if (k.address() != null) {
            try {
                ConsulSettings.builder().address(k.address()).build();
            } catch (IllegalArgumentException e) {
                problems.add("consul.address: \"" + k.address()
                        + "\" (expected: host:port or http(s)://host:port, here or in CONSUL_HTTP_ADDR)");
            }
        }
        try {
            ConsulSettings.builder().waitTime(k.waitTime()).build();
        } catch (IllegalArgumentException e) {
            problems.add("consul.wait_time: " + Problems.format(k.waitTime()) + " (expected: 1s..5m)");
        }
        if (k.register().enabled() && !ServiceValidator.isServiceName(k.register().serviceName())) {
            problems.add("consul.register.service_name: \"" + k.register().serviceName()
                    + "\" (expected: a name of letters, digits, '.', '_' or '-')");
        }
    }

    private void routes(SwitchboardConfig c) {
        for (int i = 0; i < c.routes().size(); i++) {
            RouteConfig r = c.routes().get(i);
            String svc = r.service();
            if (svc != null && !svc.isBlank() && !c.services().containsKey(svc) && !c.consul().enabled()) {
                problems.add("routes[" + i + "].service: \"" + svc
                        + "\" (expected: a service declared under services, or consul.enabled: true)");
            }
        }
        problems.addAll(RouteTableBuilder.validate(c.routes()));
    }

    private void accessLog(AccessLogConfig a) {
        problems.notBlank("access_log.format", a.format());
        problems.notBlank("access_log.output", a.output());
    }
}
