package dev.switchboard.router.admin;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import dev.switchboard.discovery.DiscoveryStatus;
import dev.switchboard.router.metrics.RouterGauges;
import dev.switchboard.router.runtime.ConfigReloader;
import dev.switchboard.router.runtime.Switchboard;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioWorker;

/**
 * The checks behind {@code /admin/healthcheck}, and the readiness rule behind {@code /ready}.
 * <ul>
 *   <li>{@code discovery}: healthy when in sync, or stale/erroring but still serving the last good
 *       catalog for less than {@code staleAfter}; unhealthy before the first sync or beyond that.</li>
 *   <li>{@code routes}: a routing state is built, has routes, and the last rebuild succeeded.</li>
 *   <li>{@code io-threads}: every IO thread of the proxy runs a no-op task within one second.</li>
 *   <li>{@code config-reload}: the last reload (if any) was applied.</li>
 * </ul>
 */
public final class RouterHealthChecks {

    private RouterHealthChecks() {
    }

    public static HealthCheckRegistry create(Switchboard sb, ConfigReloader reloader, Clock clock, Duration staleAfter) {
        HealthCheckRegistry r = new HealthCheckRegistry();
        r.register("discovery", new HealthCheck() {
            @Override
            protected Result check() {
                DiscoveryStatus s = RouterGauges.status(sb);
                if (!s.ready()) {
                    return Result.unhealthy("%s: no full sync yet%s", s.source(), s.lastError() == null ? "" : "; last error: " + s.lastError());
                }
                if (s.lastError() == null && !s.stale()) {
                    return Result.healthy("%s: in sync, %d service(s), %d instance(s)", s.source(), s.services(), s.instances());
                }
                Duration age = s.lastSuccess() == null ? null : Duration.between(s.lastSuccess(), clock.instant());
                String what = s.stale() ? "stale (restored from file)" : "last error: " + s.lastError();
                if (age != null && age.compareTo(staleAfter) > 0) {
                    return Result.unhealthy("%s: %s; last good sync %d s ago", s.source(), what, age.toSeconds());
                }
                return Result.healthy("%s: %s; serving the last good catalog", s.source(), what);
            }
        });
        r.register("routes", new HealthCheck() {
            @Override
            protected Result check() {
                var state = sb.routingState();
                if (state.version() == 0) {
                    return Result.unhealthy("no routing state built yet");
                }
                if (sb.lastBuildError() != null) {
                    return Result.unhealthy("last rebuild failed, serving v%d: %s", state.version(), sb.lastBuildError());
                }
                if (state.table().size() == 0) {
                    return Result.unhealthy("no routes loaded: every request gets 404");
                }
                return Result.healthy("%d route(s), routing state v%d", state.table().size(), state.version());
            }
        });
        r.register("io-threads", new HealthCheck() {
            @Override
            protected Result check() throws InterruptedException {
                XnioWorker w = sb.server().worker();
                int n = w.getIoThreadCount();
                CountDownLatch latch = new CountDownLatch(n);
                for (int i = 0; i < n; i++) {
                    w.getIoThread(i).execute(latch::countDown);
                }
                if (!latch.await(1, TimeUnit.SECONDS)) {
                    return Result.unhealthy("%d of %d IO thread(s) did not run a task within 1 s", latch.getCount(), n);
                }
                return Result.healthy("%d IO thread(s) responsive", n);
            }
        });
        r.register("config-reload", new HealthCheck() {
            @Override
            protected Result check() {
                ConfigReloader.Status s = reloader.status();
                if (s.lastError() != null) {
                    return Result.unhealthy("last reload rejected (%s), previous config serving: %s", s.lastAttempt(), s.lastError());
                }
                return Result.healthy(s.lastAttempt() == null ? "no reload yet" : "last reload applied at " + s.lastSuccess());
            }
        });
        return r;
    }

    /** Ready: a routing state is built, discovery (if any) has synced once, and the router is not draining. */
    public static String notReadyReason(Switchboard sb) {
        if (sb.server().isDraining()) {
            return "draining";
        }
        if (sb.routingState().version() == 0) {
            return "no routing state yet";
        }
        var d = sb.discovery();
        if (d != null && !d.whenReady().toCompletableFuture().isDone()) {
            return "waiting for the first discovery sync";
        }
        return null;
    }
}
