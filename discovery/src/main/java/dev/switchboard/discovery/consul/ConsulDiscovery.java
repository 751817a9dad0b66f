package dev.switchboard.discovery.consul;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.switchboard.discovery.CatalogListener;
import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.DiscoveryStatus;
import dev.switchboard.discovery.ServiceDiscovery;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service discovery from Consul's catalog with blocking queries: one watch on
 * {@code /v1/catalog/services} and one on {@code /v1/health/service/<name>} per relevant service
 * (see {@link ServiceFilter}), each a {@link BlockingQueryLoop} on its own thread. Per-service
 * results go to a {@link CatalogPublisher}, which publishes one immutable snapshot per burst of
 * changes once the first full sync is done.
 *
 * <p>When Consul fails, every watch keeps its last result and backs off; a failing service keeps
 * its instances. All watches share one {@link RetryGroup}: the first one answered after failures
 * makes the others that are still backing off retry within {@link #CATCH_UP_JITTER}, so the catalog
 * catches up as soon as Consul answers instead of when each backoff runs out; one of them, the
 * scout, asks at least every {@link #SCOUT_INTERVAL} (or {@code retryMin}, if longer) however long
 * its backoff has grown, so that first answer comes soon after Consul is back. {@link #status()}
 * shows the last success, the current error and the request count. With a snapshot file, a start
 * while Consul is unreachable publishes the saved catalog (status {@code stale}) and
 * {@link #whenReady()} completes with it.
 */
public final class ConsulDiscovery implements ServiceDiscovery {

    private static final Logger log = LoggerFactory.getLogger(ConsulDiscovery.class);
    private static final Gson GSON = new Gson();
    private static final Type SERVICE_LIST = new TypeToken<Map<String, List<String>>>() { }.getType();
    static final String LIST_WATCH = "service list";
    /** The most a watch waits to retry after another one was answered again: spreads the catch-up. */
    static final Duration CATCH_UP_JITTER = Duration.ofMillis(250);
    /** The longest the group's scout watch waits between two requests while Consul fails. */
    static final Duration SCOUT_INTERVAL = Duration.ofSeconds(2);

    private final ConsulSettings settings;
    private final ConsulHttp http;
    private final SyncStatus status;
    private final CatalogPublisher publisher;
    private volatile ServiceFilter filter;
    private volatile Map<String, List<String>> lastServiceList;
    private final Backoff backoff;
    private final RetryGroup retries;
    private final WatchThreads listThread = new WatchThreads();
    private final WatchThreads threads = new WatchThreads();
    private final SnapshotFile snapshotFile;
    private final Object syncLock = new Object();
    private final Set<String> firstReadDone = new HashSet<>();
    private Set<String> pending;
    private boolean restoreTried;
    private boolean started;
    private volatile boolean closed;
    private long startedNanos;

    /**
     * @throws IllegalArgumentException if the settings cannot work (for example an unreadable CA file)
     */
    public ConsulDiscovery(ConsulSettings settings) {
        this.settings = settings;
        this.http = new ConsulHttp(settings);
        this.status = new SyncStatus(settings.clock());
        this.snapshotFile = settings.snapshotFile() == null ? null : new SnapshotFile(settings.snapshotFile());
        this.publisher = new CatalogPublisher(settings.publishDelay(), snapshotFile, settings.clock());
        this.filter = new ServiceFilter(settings.watchAll(), settings.wantedServices());
        this.backoff = new Backoff(settings.retryMin(), settings.retryMax(), settings.random());
        Duration scout = settings.retryMin().compareTo(SCOUT_INTERVAL) > 0 ? settings.retryMin() : SCOUT_INTERVAL;
        this.retries = new RetryGroup(CATCH_UP_JITTER, scout, settings.random());
    }

    @Override
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        startedNanos = System.nanoTime();
        log.info("consul discovery: watching {} (dc {}, wait {} s, {} reads, warning {}, {})", settings.baseUrl(),
                settings.datacenter() == null ? "of the agent" : settings.datacenter(),
                settings.waitTime().toSeconds(), settings.staleReads() ? "stale" : "consistent",
                settings.includeWarning() ? "routable" : "excluded",
                settings.watchAll() ? "all services" : "tagged services and " + settings.wantedServices().size() + " wanted");
        WatchReporter reporter = new WatchReporter(LIST_WATCH, status);
        BlockingQueryLoop<Map<String, List<String>>> listLoop = new BlockingQueryLoop<>(LIST_WATCH, index -> {
            ConsulHttp.Response r = http.get("/v1/catalog/services", index, List.of());
            reporter.aclWarning(r.aclWarning());
            return new BlockingQuery.Result<>(decodeList(r.body()), r.index());
        }, new BlockingQueryLoop.Handler<>() {
            @Override
            public void onValue(Map<String, List<String>> services) {
                onServiceList(services);
            }

            @Override
            public void onSuccess(int failuresBefore) {
                reporter.success(failuresBefore);
            }

            @Override
            public void onError(Exception error, int failures, Duration retryIn) {
                reporter.error(error, failures, retryIn);
                restoreOnce();
            }
        }, backoff, settings.minInterval(), System::nanoTime, retries);
        listThread.start(LIST_WATCH, listLoop);
    }

    private static Map<String, List<String>> decodeList(String body) throws ConsulRequestException {
        try {
            Map<String, List<String>> m = GSON.fromJson(body, SERVICE_LIST);
            return m == null ? Map.of() : m;
        } catch (JsonParseException e) {
            throw new ConsulRequestException("service list: malformed JSON (" + ConsulHttp.describe(e) + ")", e);
        }
    }

    /**
     * Replaces the set of services watched because config routes name them (a reload or Consul KV
     * change may add or drop such routes). Takes effect at once against the last service list.
     */
    public void updateWantedServices(Set<String> wanted) {
        ServiceFilter next = new ServiceFilter(settings.watchAll(), wanted);
        if (next.wanted().equals(filter.wanted())) {
            return;
        }
        filter = next;
        Map<String, List<String>> last = lastServiceList;
        if (last != null) {
            onServiceList(last);
        }
    }

    private synchronized void onServiceList(Map<String, List<String>> services) {
        if (closed) {
            return;
        }
        lastServiceList = services;
        Set<String> relevant = new TreeSet<>(filter.wanted());
        services.forEach((name, tags) -> {
            if (name != null && filter.relevant(name, tags)) {
                relevant.add(name);
            }
        });
        int added = 0;
        int removed = 0;
        for (String name : relevant) {
            if (!threads.contains(name)) {
                startServiceWatch(name);
                added++;
            }
        }
        for (String name : threads.names()) {
            if (!relevant.contains(name)) {
                synchronized (syncLock) {
                    threads.stop(name);
                    publisher.remove(name);
                }
                status.forget(serviceWatchName(name));
                removed++;
            }
        }
        if (added + removed > 0) {
            log.info("consul service list: {} relevant of {} services (+{} -{})", relevant.size(), services.size(),
                    added, removed);
        }
        synchronized (syncLock) {
            if (pending == null) {
                pending = new HashSet<>(relevant);
            }
            pending.retainAll(relevant);
            pending.removeAll(firstReadDone);
            firstReadDone.retainAll(relevant);
        }
        checkReady();
    }

    private static String serviceWatchName(String service) {
        return "service " + service;
    }

    private void startServiceWatch(String service) {
        String path = "/v1/health/service/" + ConsulHttp.encodeSegment(service);
        // Every instance, not ?passing: critical ones still carry the tags that define routes.
        List<String> flags = List.of();
        WatchReporter reporter = new WatchReporter(serviceWatchName(service), status);
        ProblemLog problems = new ProblemLog(service);
        AtomicReference<BlockingQueryLoop<InstanceParser.Parsed>> self = new AtomicReference<>();
        BlockingQueryLoop<InstanceParser.Parsed> loop = new BlockingQueryLoop<>(service, index -> {
            ConsulHttp.Response r = http.get(path, index, flags);
            reporter.aclWarning(r.aclWarning());
            return new BlockingQuery.Result<>(InstanceParser.parse(service, r.body(), settings.includeWarning()),
                    r.index());
        }, new BlockingQueryLoop.Handler<>() {
            @Override
            public void onValue(InstanceParser.Parsed parsed) {
                synchronized (syncLock) {
                    if (closed || self.get().isStopped()) {
                        return; // removed while its request was in flight
                    }
                    status.skipped(parsed.skipped());
                    problems.report(parsed);
                    publisher.put(parsed.snapshot());
                    firstReadDone.add(service);
                    if (pending != null) {
                        pending.remove(service);
                    }
                }
                checkReady();
            }

            @Override
            public void onSuccess(int failuresBefore) {
                reporter.success(failuresBefore);
            }

            @Override
            public void onError(Exception error, int failures, Duration retryIn) {
                reporter.error(error, failures, retryIn);
            }
        }, backoff, settings.minInterval(), System::nanoTime, retries);
        self.set(loop);
        threads.start(service, loop);
    }

    private void checkReady() {
        synchronized (syncLock) {
            if (pending == null || !pending.isEmpty() || publisher.isLive() || closed) {
                return;
            }
        }
        publisher.goLive();
        log.info("consul discovery: first full sync in {} ms ({} services watched, {} requests)",
                Duration.ofNanos(System.nanoTime() - startedNanos).toMillis(), threads.size(), http.requests());
    }

    private void restoreOnce() {
        synchronized (syncLock) {
            if (restoreTried || snapshotFile == null || publisher.isLive()) {
                return;
            }
            restoreTried = true;
        }
        try {
            Optional<SnapshotFile.Saved> saved = snapshotFile.load();
            if (saved.isEmpty()) {
                log.info("consul unreachable at start and no snapshot file at {}", snapshotFile.path());
                return;
            }
            CatalogSnapshot s = saved.get().snapshot();
            log.warn("consul unreachable at start: serving the snapshot saved at {} from {} ({} services, {} instances)"
                    + " until the first sync", saved.get().savedAt(), snapshotFile.path(), s.services().size(),
                    s.instanceCount());
            publisher.restore(s);
        } catch (IOException e) {
            log.warn("consul unreachable at start and the snapshot file cannot be used: {}", e.getMessage());
        }
    }

    @Override
    public CatalogSnapshot current() {
        return publisher.current();
    }

    @Override
    public void addListener(CatalogListener listener) {
        publisher.addListener(listener);
    }

    @Override
    public CompletionStage<CatalogSnapshot> whenReady() {
        return publisher.whenReady().minimalCompletionStage();
    }

    @Override
    public DiscoveryStatus status() {
        CatalogSnapshot s = publisher.current();
        Instant lastSuccess = status.lastSuccess();
        return new DiscoveryStatus("consul", publisher.isLive(), lastSuccess, status.lastError(), status.lastErrorAt(),
                status.errorCount(), s.services().size(), s.instanceCount(), publisher.isStale(), http.requests(),
                listThread.running() + threads.running(), status.skippedCount());
    }

    /** Snapshots published so far (restored one included). */
    public long publications() {
        return publisher.publications();
    }

    public ConsulSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        listThread.stopAll();
        threads.stopAll();
        http.close();
        publisher.close();
        listThread.awaitExit(Duration.ofSeconds(1));
        threads.awaitExit(Duration.ofSeconds(2));
        log.info("consul discovery: stopped after {} requests", http.requests());
    }
}
