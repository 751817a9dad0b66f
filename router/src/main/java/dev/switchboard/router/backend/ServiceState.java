package dev.switchboard.router.backend;

import dev.switchboard.router.config.ServiceConfig;
import dev.switchboard.router.health.ActiveHealthChecker;
import dev.switchboard.router.health.Backoff;
import dev.switchboard.router.health.HealthEvents;
import dev.switchboard.router.health.RetryBudget;
import dev.switchboard.router.health.ServiceHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service keeps across membership changes: its config, its health policy (which every
 * member's {@code BackendHealth} reports to), its retry budget and its backoff. Replaced only when
 * the service's config changes.
 */
public final class ServiceState {

    private static final Logger log = LoggerFactory.getLogger(ServiceState.class);

    private final String name;
    private final ServiceConfig config;
    private final ServiceHealth health;
    private final RetryBudget retryBudget;
    private final Backoff backoff;
    private final ActiveHealthChecker checker;

    ServiceState(String name, ServiceConfig config, HealthEvents events) {
        this.name = name;
        this.config = config;
        this.health = new ServiceHealth(name, config, events);
        var r = config.retry();
        // The log is rate-limited (once per report interval); the count is read from the budget itself.
        this.retryBudget = RetryBudget.of(r.budgetRatio(), r.budgetMinPerSecond(), (since, total) -> {
            log.warn("retry budget exhausted: service={} refused={} (total {}) reason=more than {}% of requests are retries",
                    name, since, total, Math.round(r.budgetRatio() * 100));
        });
        this.backoff = new Backoff(r.backoffBase(), r.backoffMax());
        this.checker = config.activeCheck().enabled()
                ? new ActiveHealthChecker(name, config.activeCheck(), 4, new java.util.SplittableRandom())
                : null;
    }

    /** Points active checks (if configured) at the current members. */
    void checkMembers(java.util.Collection<Backend> members) {
        if (checker == null) {
            return;
        }
        java.util.List<ActiveHealthChecker.Target> targets = new java.util.ArrayList<>();
        for (Backend b : members) {
            var hp = dev.switchboard.router.config.HostPort.parse(b.hostPort());
            targets.add(new ActiveHealthChecker.Target(b.id(), hp.host(), hp.port(), b.health()));
        }
        checker.update(targets);
    }

    /** Stops active checks; called when the service is removed or its config replaced. */
    void close() {
        if (checker != null) {
            checker.close();
        }
    }

    public String name() {
        return name;
    }

    public ServiceConfig config() {
        return config;
    }

    public ServiceHealth health() {
        return health;
    }

    public RetryBudget retryBudget() {
        return retryBudget;
    }

    public Backoff backoff() {
        return backoff;
    }

    /** Retries the budget refused, every one up to now (its log line is rate-limited, this is not). */
    public long budgetExhausted() {
        return retryBudget.refused();
    }

}
