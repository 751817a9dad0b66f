package dev.switchboard.router.backend;

import dev.switchboard.discovery.InstanceHealth;
import dev.switchboard.discovery.InstanceId;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.router.config.ServiceConfig;
import dev.switchboard.router.config.UpstreamConfig;
import dev.switchboard.router.health.BackendHealth;
import dev.switchboard.router.health.HealthEvents;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;

/**
 * The live backends of every service, reconciled against each new membership list by identity
 * (instance ID plus address): a backend that stays keeps its object, so in-flight counts, latency
 * estimates, health and pooled connections survive churn; a new one is created; a removed one stops
 * taking requests, lets its in-flight requests finish, and has its pooled connections closed.
 * Mutated only by the control thread (methods are synchronized for the admin API's reads).
 */
public final class BackendRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackendRegistry.class);

    private final int ioThreads;
    private final UpstreamConfig upstream;
    private final HealthEvents events;
    private final LongSupplier nanoClock;
    private final OptionMap clientOptions = OptionMap.builder()
            .set(Options.TCP_NODELAY, true)
            .set(Options.KEEP_ALIVE, true)
            // Byte counts per connection tell "no answer" (retryable whatever the method) from "an
            // invalid answer" (the request reached the application).
            .set(io.undertow.UndertowOptions.ENABLE_STATISTICS, true)
            .getMap();
    private final Map<String, Members> services = new HashMap<>();
    /**
     * Drains and weights set through the admin API, by service and instance: reapplied when a backend
     * for that instance is created again (its check flapped, it moved or was re-registered), so an
     * operator's drain is not silently lost while the application restarts.
     */
    private final Map<String, Map<InstanceId, Overrides>> overrides = new HashMap<>();

    private record Overrides(boolean draining, int weight) {
    }

    /** Removals of the last reconcile, carried out by {@link #retirePending} once its state is published. */
    private final List<Runnable> pendingRetirements = new ArrayList<>();
    /** Instances whose address did not resolve, logged once each (service, id, host). */
    private final Set<String> unresolved = new HashSet<>();

    public BackendRegistry(int ioThreads, UpstreamConfig upstream, HealthEvents events, LongSupplier nanoClock) {
        this.ioThreads = ioThreads;
        this.upstream = upstream;
        this.events = events;
        this.nanoClock = nanoClock;
    }

    private record Key(InstanceId id, String hostPort) {
    }

    private static final class Members {
        ServiceState state;
        final LinkedHashMap<Key, Backend> backends = new LinkedHashMap<>();
    }

    /**
     * Makes {@code service}'s members exactly {@code instances}.
     *
     * @return the service state and its backends, sorted by identity
     */
    public synchronized Membership reconcile(String service, ServiceConfig config, Collection<ServiceInstance> instances,
                                             java.util.function.Function<ServiceInstance, String> sourceOf) {
        Members m = services.computeIfAbsent(service, s -> new Members());
        if (m.state == null || !samePolicy(m.state.config(), config)) {
            ServiceState old = m.state;
            if (old != null) {
                old.close();
            }
            m.state = new ServiceState(service, config, events);
            for (Backend b : m.backends.values()) {
                if (old != null) {
                    old.health().leave(b.health());
                }
                b.rejoin(m.state.health().join(b.id()));
            }
        }
        long now = nanoClock.getAsLong();
        // Slow start only makes sense next to backends already at full weight: the first members of a
        // service (at startup, or a service that just appeared) start at full weight.
        long addedAt = m.backends.isEmpty() ? now - config.slowStart().toNanos() : now;
        Set<Key> wanted = new HashSet<>();
        int added = 0;
        List<String> addedIds = new ArrayList<>();
        for (ServiceInstance inst : instances) {
            Key key = new Key(inst.id(), inst.hostPort());
            if (!wanted.add(key)) {
                continue;
            }
            Backend existing = m.backends.get(key);
            if (existing != null) {
                existing.update(inst);
                applyDiscoveryHealth(existing, inst);
                continue;
            }
            URI target = resolve(inst);
            if (target == null) {
                continue;
            }
            BackendHealth health = m.state.health().join(inst.id());
            UpstreamPool pool = new UpstreamPool(target, ioThreads,
                    upstream.connectionsPerThread(), upstream.maxQueue(),
                    upstream.queueTimeout().toMillis(), upstream.keepAliveTtl().toMillis(), clientOptions);
            Backend created = new Backend(inst, sourceOf.apply(inst), pool, health, addedAt, config.slowStart().toNanos());
            Overrides o = overrides.getOrDefault(service, Map.of()).get(inst.id());
            if (o != null) {
                created.setDraining(o.draining());
                created.overrideWeight(o.weight());
            }
            applyDiscoveryHealth(created, inst);
            m.backends.put(key, created);
            added++;
            addedIds.add(inst.id() + " (" + inst.hostPort() + ")");
        }
        List<Backend> removed = new ArrayList<>();
        m.backends.entrySet().removeIf(e -> {
            if (wanted.contains(e.getKey())) {
                return false;
            }
            removed.add(e.getValue());
            return true;
        });
        for (Backend b : removed) {
            retire(m.state, b);
        }
        m.state.checkMembers(m.backends.values());
        if (added > 0 || !removed.isEmpty()) {
            log.info("service {}: {} backend(s) (+{} -{}){}", service, m.backends.size(), added, removed.size(),
                    addedIds.isEmpty() ? "" : ", added " + brief(addedIds));
        }
        return membership(m);
    }

    /**
     * Whether two service configs differ only in their static instance list: membership changes are
     * reconciled backend by backend and must not reset the service's health, circuits and budget.
     */
    private static boolean samePolicy(ServiceConfig a, ServiceConfig b) {
        return withoutInstances(a).equals(withoutInstances(b));
    }

    private static ServiceConfig withoutInstances(ServiceConfig c) {
        return new ServiceConfig(c.strategy(), c.hashKey(), c.sticky(), java.util.List.of(), c.slowStart(), c.timeouts(),
                c.outlier(), c.activeCheck(), c.circuit(), c.retry(), c.maxInFlightPerBackend());
    }

    /** Removes a whole service (gone from the catalog and the config). */
    /** Drains or undrains a backend (admin API); remembered for its instance, see {@link #overrides}. */
    public synchronized void setDraining(Backend b, boolean draining) {
        b.setDraining(draining);
        Backend now = current(b);
        now.setDraining(draining);
        remember(now);
    }

    /** Overrides a backend's weight, 0 clears (admin API); remembered for its instance. */
    public synchronized void overrideWeight(Backend b, int weight) {
        b.overrideWeight(weight);
        Backend now = current(b);
        now.overrideWeight(weight);
        remember(now);
    }

    /** Forgets what the API set for an instance (it was removed through the API). */
    public synchronized void forgetOverrides(String service, InstanceId id) {
        Map<InstanceId, Overrides> byId = overrides.get(service);
        if (byId != null) {
            byId.remove(id);
        }
    }

    /** The backend serving {@code b}'s instance now: a reconcile may have replaced it since it was looked up. */
    private Backend current(Backend b) {
        Members m = services.get(b.service());
        if (m != null) {
            for (Backend live : m.backends.values()) {
                if (live.id().equals(b.id())) {
                    return live;
                }
            }
        }
        return b;
    }

    /** At most five, then how many more: one log line even when a whole service arrives. */
    private static String brief(List<String> items) {
        return items.size() <= 5 ? String.join(", ", items)
                : String.join(", ", items.subList(0, 5)) + " and " + (items.size() - 5) + " more";
    }

    private void remember(Backend b) {
        Map<InstanceId, Overrides> byId = overrides.computeIfAbsent(b.service(), k -> new HashMap<>());
        if (b.isDraining() || b.hasWeightOverride()) {
            byId.put(b.id(), new Overrides(b.isDraining(), b.weightOverride()));
        } else {
            byId.remove(b.id());
        }
    }

    public synchronized void removeService(String service) {
        overrides.remove(service);
        Members m = services.remove(service);
        if (m != null) {
            m.backends.values().forEach(b -> retire(m.state, b));
            pendingRetirements.add(m.state::close);
            log.info("service {}: removed with {} backend(s)", service, m.backends.size());
        }
    }

    /**
     * Retires the backends the reconciles since the last call removed. Call it once the routing state
     * built from them is published: until then requests still route on the previous state, and a
     * backend retired under them would leave a route whose only backend was replaced with none to
     * pick (503s while an instance moves to another port).
     */
    public void retirePending() {
        List<Runnable> due;
        synchronized (this) {
            due = List.copyOf(pendingRetirements);
            pendingRetirements.clear();
        }
        due.forEach(Runnable::run);
    }

    public synchronized Set<String> serviceNames() {
        return Set.copyOf(services.keySet());
    }

    /** The current members of a service, or null if unknown. */
    public synchronized Membership membership(String service) {
        Members m = services.get(service);
        return m == null ? null : membership(m);
    }

    /** Every live backend, by service. */
    public synchronized Map<String, List<Backend>> snapshot() {
        Map<String, List<Backend>> out = new java.util.TreeMap<>();
        services.forEach((name, m) -> out.put(name, sorted(m.backends.values())));
        return out;
    }

    @Override
    public synchronized void close() {
        pendingRetirements.forEach(Runnable::run);
        pendingRetirements.clear();
        for (Members m : services.values()) {
            m.backends.values().forEach(b -> b.remove());
            m.state.close();
        }
        services.clear();
    }

    /**
     * The backend's address as an IP literal, resolved here on the control thread so that connecting
     * never does a DNS lookup on an IO thread. Null (and one log line) if the name does not resolve;
     * the next rebuild tries again.
     */
    private URI resolve(ServiceInstance inst) {
        String host = inst.address();
        String key = inst.service() + " " + inst.id() + " " + host;
        try {
            java.net.InetAddress ip = java.net.InetAddress.getByName(host);
            String literal = ip.getHostAddress();
            if (unresolved.remove(key)) {
                log.info("backend {} of service {}: address {} resolves now", inst.id(), inst.service(), host);
            }
            return URI.create("http://" + (literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal) + ":" + inst.port());
        } catch (java.net.UnknownHostException | IllegalArgumentException e) {
            // Once until it resolves or changes, not on every rebuild something else caused.
            if (unresolved.add(key)) {
                log.warn("backend {} of service {} skipped: address {} does not resolve (tried again on every rebuild)",
                        inst.id(), inst.service(), host);
            }
            return null;
        }
    }

    /**
     * The discovery source's verdict: Consul publishes critical instances only when told to, and
     * warning ones only when {@code include_warning} is on, so warning counts as passing here.
     */
    private static void applyDiscoveryHealth(Backend b, ServiceInstance inst) {
        if (inst.health() == InstanceHealth.CRITICAL) {
            b.health().markUnhealthy(BackendHealth.Signal.DISCOVERY, "discovery reports the instance critical");
        } else {
            b.health().markHealthy(BackendHealth.Signal.DISCOVERY, "discovery reports the instance " + inst.health().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private void retire(ServiceState state, Backend b) {
        pendingRetirements.add(() -> {
            state.health().leave(b.health());
            b.remove();
            log.info("backend {} ({}) of service {} removed: in-flight {} will finish, pooled connections closed",
                    b.id(), b.hostPort(), b.service(), b.inFlight());
        });
    }

    private static Membership membership(Members m) {
        return new Membership(m.state, sorted(m.backends.values()));
    }

    private static List<Backend> sorted(Collection<Backend> backends) {
        List<Backend> list = new ArrayList<>(backends);
        list.sort(Comparator.comparing(Backend::id).thenComparing(Backend::hostPort));
        return List.copyOf(list);
    }

    /** A service's state and its members at one moment. */
    public record Membership(ServiceState state, List<Backend> backends) {
    }
}
