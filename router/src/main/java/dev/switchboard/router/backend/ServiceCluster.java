package dev.switchboard.router.backend;

import dev.switchboard.router.balancer.SelectionContext;
import dev.switchboard.router.balancer.Selector;
import dev.switchboard.router.config.ServiceConfig;
import dev.switchboard.router.health.BackendHealth;
import dev.switchboard.router.health.Outcome;
import dev.switchboard.router.balancer.HashKeys;
import io.undertow.util.HttpString;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The backends one route target sends to, with the selector built over them. Immutable: a
 * membership or config change builds a new cluster around the same live {@link Backend} objects and
 * the same {@link ServiceState} (health policy, retry budget), so nothing resets on churn.
 */
public final class ServiceCluster {

    private final ServiceState service;
    private final List<Backend> backends;
    private final Selector selector;
    private final boolean[] retryStatus = new boolean[600];
    private final int maxInFlightPerBackend;
    private final Map<String, String> stickyIds;
    private final HashSource hashSource;
    private final String hashName;
    private final boolean sticky;
    private final HttpString idempotentHeader;

    /** Where a hash strategy's key comes from. */
    public enum HashSource { NONE, CLIENT_IP, HEADER, COOKIE, PATH }

    ServiceCluster(ServiceState service, List<Backend> backends, Selector selector) {
        this.service = service;
        this.backends = List.copyOf(backends);
        this.selector = selector;
        ServiceConfig cfg = service.config();
        for (int s : cfg.retry().statuses()) {
            retryStatus[s] = true;
        }
        this.maxInFlightPerBackend = cfg.maxInFlightPerBackend();
        this.sticky = cfg.strategy().equals("sticky");
        this.idempotentHeader = new HttpString(cfg.retry().idempotentHeader());
        Map<String, String> ids = new HashMap<>();
        if (sticky) {
            for (Backend b : this.backends) {
                ids.put(stickyToken(b), b.id().toString());
            }
        }
        this.stickyIds = Map.copyOf(ids);
        boolean hashing = cfg.strategy().equals("ring_hash") || cfg.strategy().equals("maglev");
        this.hashSource = !hashing ? HashSource.NONE : switch (cfg.hashKey().source()) {
            case "header" -> HashSource.HEADER;
            case "cookie" -> HashSource.COOKIE;
            case "path" -> HashSource.PATH;
            default -> HashSource.CLIENT_IP;
        };
        this.hashName = cfg.hashKey().name();
    }

    /** The opaque sticky-cookie token of a backend: a hash of its identity, never its address. */
    public static String stickyToken(Backend b) {
        return Long.toHexString(HashKeys.hash(b.service() + "/" + b.id()));
    }

    /** The identity a sticky token names among this cluster's backends, or null. */
    public String stickyIdForToken(String token) {
        return stickyIds.get(token);
    }

    public boolean isSticky() {
        return sticky;
    }

    /** The request header that marks a non-idempotent request as safe to retry. */
    public HttpString idempotentHeader() {
        return idempotentHeader;
    }

    public HashSource hashSource() {
        return hashSource;
    }

    /** Header or cookie name for {@link HashSource#HEADER} / {@link HashSource#COOKIE}. */
    public String hashName() {
        return hashName;
    }

    public String name() {
        return service.name();
    }

    public ServiceConfig config() {
        return service.config();
    }

    public ServiceState service() {
        return service;
    }

    public List<Backend> backends() {
        return backends;
    }

    public Selector selector() {
        return selector;
    }

    public boolean isEmpty() {
        return backends.isEmpty();
    }

    /** Whether the service routes to every backend because too few are healthy. */
    public boolean inPanic(long nowNanos) {
        return service.health().inPanic(nowNanos);
    }

    /** Picks a backend for one attempt, or null. {@code ctx.usable} must consult {@link #admits}. */
    public Backend select(SelectionContext ctx) {
        return (Backend) selector.select(ctx);
    }

    /** Whether {@code b} may take a new request now (health and circuit unless in panic, draining, in-flight cap). */
    public boolean admits(Backend b, long nowNanos, boolean panic) {
        return !atInFlightCap(b) && admitsApartFromLoad(b, nowNanos, panic);
    }

    private boolean atInFlightCap(Backend b) {
        return maxInFlightPerBackend > 0 && b.inFlight() >= maxInFlightPerBackend;
    }

    private static boolean admitsApartFromLoad(Backend b, long nowNanos, boolean panic) {
        if (b.isDraining() || b.isRemoved()) {
            return false;
        }
        BackendHealth h = b.health();
        return panic ? h.admitsInPanic(nowNanos) : h.available(nowNanos);
    }

    /**
     * Whether some backend that {@link #admits} refused was refused only for its in-flight cap: the
     * service is busy rather than down. Walks the backends; for the answer when no backend was found.
     */
    public boolean saturated(long nowNanos, boolean panic) {
        for (Backend b : backends) {
            if (atInFlightCap(b) && admitsApartFromLoad(b, nowNanos, panic)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts an attempt on {@code b}: a circuit permit, or {@link BackendHealth#REJECTED} (never in
     * panic, which passes over open circuits).
     */
    public long beginAttempt(Backend b, long nowNanos, boolean panic) {
        long permit = b.health().tryAcquire(nowNanos, panic);
        if (permit != BackendHealth.REJECTED) {
            b.beginRequest();
        }
        return permit;
    }

    /** Ends an attempt started with {@link #beginAttempt}: exactly once per admitted attempt. */
    public void endAttempt(Backend b, long permit, Outcome outcome, long nowNanos) {
        b.endRequest();
        if (outcome.counts()) {
            b.health().record(permit, outcome, nowNanos);
        } else {
            b.health().release(permit);
        }
    }

    public boolean isRetryStatus(int status) {
        return status >= 0 && status < retryStatus.length && retryStatus[status];
    }

    /** {@link Outcome#GATEWAY_STATUS} for a configured failure status, else success. */
    public Outcome classify(int status) {
        return service.health().classify(status);
    }

    public boolean tryRetry(long nowNanos) {
        return service.retryBudget().tryRetry(nowNanos);
    }

    public void onRequest(long nowNanos) {
        service.retryBudget().onRequest(nowNanos);
    }

    public long backoffNanos(int retry, RandomGenerator random) {
        return service.backoff().delayNanos(retry, random);
    }
}
