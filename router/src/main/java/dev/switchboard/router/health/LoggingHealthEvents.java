package dev.switchboard.router.health;

import dev.switchboard.discovery.InstanceId;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes one log line per health event: the subject, the transition and the reason. */
public final class LoggingHealthEvents implements HealthEvents {

    private static final Logger log = LoggerFactory.getLogger(LoggingHealthEvents.class);

    @Override
    public void circuitChanged(String service, InstanceId backend, CircuitBreaker.State from,
            CircuitBreaker.State to, String reason) {
        if (to == CircuitBreaker.State.OPEN) {
            log.warn("circuit {}/{}: {} -> {} ({})", service, backend, from, to, reason);
        } else {
            log.info("circuit {}/{}: {} -> {} ({})", service, backend, from, to, reason);
        }
    }

    @Override
    public void ejected(String service, InstanceId backend, long durationNanos, int times, String reason) {
        log.warn("ejected {}/{} for {} ms (ejection #{}): {}", service, backend,
                TimeUnit.NANOSECONDS.toMillis(durationNanos), times, reason);
    }

    @Override
    public void ejectionSkipped(String service, InstanceId backend, String reason) {
        log.warn("not ejecting {}/{}: {}", service, backend, reason);
    }

    @Override
    public void returned(String service, InstanceId backend) {
        log.info("returned {}/{} to service after ejection", service, backend);
    }

    @Override
    public void signalChanged(String service, InstanceId backend, BackendHealth.Signal signal,
            boolean healthy, String reason) {
        if (healthy) {
            log.info("{} {}/{}: healthy ({})", signal.label(), service, backend, reason);
        } else {
            log.warn("{} {}/{}: unhealthy ({})", signal.label(), service, backend, reason);
        }
    }

    @Override
    public void panicChanged(String service, boolean panic, int healthy, int total) {
        if (panic) {
            log.warn("service {} entered panic mode: {}/{} backends healthy, routing to all", service, healthy, total);
        } else {
            log.info("service {} left panic mode: {}/{} backends healthy", service, healthy, total);
        }
    }
}
