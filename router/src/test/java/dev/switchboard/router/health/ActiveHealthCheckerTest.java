package dev.switchboard.router.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.discovery.InstanceId;
import dev.switchboard.router.config.ServiceConfig;
import dev.switchboard.router.config.ServiceConfig.ActiveCheckConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Active checks against real loopback HTTP servers started and stopped here. */
class ActiveHealthCheckerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Check timeout where timeouts are not what is tested: a busy machine must not fail a check. */
    private static final Duration PATIENT = Duration.ofSeconds(2);

    /** A loopback backend whose /health status and delay the test controls. */
    static final class FakeBackend implements AutoCloseable {
        final HttpServer server;
        final ExecutorService handlers = Executors.newFixedThreadPool(4);
        final AtomicInteger checks = new AtomicInteger();
        volatile int status = 200;
        volatile long delayMillis;
        volatile String lastRequest;

        FakeBackend() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", ex -> {
                lastRequest = ex.getRequestMethod() + " " + ex.getRequestURI() + " host=" + ex.getRequestHeaders().getFirst("Host")
                        + " ua=" + ex.getRequestHeaders().getFirst("User-Agent");
                checks.incrementAndGet();
                if (delayMillis > 0) {
                    try {
                        Thread.sleep(delayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] body = "ok".getBytes();
                ex.sendResponseHeaders(status, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            server.setExecutor(handlers);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
            handlers.shutdownNow();
        }
    }

    private final RecordingEvents events = new RecordingEvents();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final RandomGenerator random = new SplittableRandom(1);

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private FakeBackend backend() throws IOException {
        FakeBackend b = new FakeBackend();
        closeables.add(b);
        return b;
    }

    private ServiceHealth service(ActiveCheckConfig check) {
        return new ServiceHealth("api", new ServiceConfig(null, null, null, null, null, null, null, check, null, null,
                null), events);
    }

    private ActiveHealthChecker checker(ActiveCheckConfig check) {
        ActiveHealthChecker c = new ActiveHealthChecker("api", check, 2, random);
        closeables.add(c);
        return c;
    }

    /** Every 50 ms, the given timeout, 2 passes to recover, 3 failures to fail. */
    private static ActiveCheckConfig fast(String expected, Duration timeout) {
        return new ActiveCheckConfig("/health", null, expected, Duration.ofMillis(50), timeout, 2, 3);
    }

    private static ActiveHealthChecker.Target target(ServiceHealth s, String name, int port) {
        InstanceId id = new InstanceId("n", name);
        return new ActiveHealthChecker.Target(id, "127.0.0.1", port, s.join(id));
    }

    private static boolean passing(ActiveHealthChecker.Target t) {
        return t.health().passing(BackendHealth.Signal.ACTIVE_CHECK);
    }

    /**
     * {@code checks} once it has not moved for 200 ms (four intervals), so that a check sent before
     * and still queued at the server is counted in it rather than after it.
     */
    private static int settled(String what, AtomicInteger checks) {
        int[] last = {checks.get()};
        await(what).during(Duration.ofMillis(200)).atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
            int now = checks.get();
            boolean same = now == last[0];
            last[0] = now;
            return same;
        });
        return last[0];
    }

    @Test
    void failsAfterThresholdFailuresAndRecoversAfterThresholdPasses() throws IOException {
        FakeBackend fake = backend();
        ActiveCheckConfig config = fast("2xx", PATIENT);
        ServiceHealth s = service(config);
        ActiveHealthChecker.Target t = target(s, "b1", fake.port());
        ActiveHealthChecker checker = checker(config);
        checker.update(List.of(t));

        await().atMost(WAIT).until(() -> fake.checks.get() >= 3);
        assertThat(passing(t)).isTrue();

        fake.status = 503;
        await().atMost(WAIT).until(() -> !passing(t));
        assertThat(t.health().available(0)).isFalse();
        fake.status = 204;
        await().atMost(WAIT).until(() -> passing(t));

        // A verdict is visible before its event is reported (BackendHealth reports outside its lock).
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.lines()).filteredOn(l -> l.startsWith("signal")).containsExactly(
                "signal n/b1 ACTIVE_CHECK unhealthy 3 checks failed, last status 503 (expected 2xx)",
                "signal n/b1 ACTIVE_CHECK healthy 2 checks passed, last status 204"));
        assertThat(fake.lastRequest).isEqualTo("GET /health host=127.0.0.1:" + fake.port() + " ua=switchboard-health");
    }

    @Test
    void timeoutCountsAsFailure() throws IOException {
        FakeBackend fake = backend();
        fake.delayMillis = 1_000;
        ActiveCheckConfig config = fast("200", Duration.ofMillis(100));
        ServiceHealth s = service(config);
        ActiveHealthChecker.Target t = target(s, "slow", fake.port());
        checker(config).update(List.of(t));

        await().atMost(WAIT).until(() -> !passing(t));
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.lines()).filteredOn(l -> l.startsWith("signal")).containsExactly(
                "signal n/slow ACTIVE_CHECK unhealthy 3 checks failed, last timed out after 100 ms"));
    }

    @Test
    void refusedConnectionAndUnexpectedStatusCountAsFailures() throws IOException {
        FakeBackend gone = backend();
        int deadPort = gone.port();
        gone.close();
        FakeBackend wrong = backend(); // 200, but 204 is expected
        ActiveCheckConfig config = fast("204", PATIENT);
        ServiceHealth s = service(config);
        ActiveHealthChecker.Target dead = target(s, "dead", deadPort);
        ActiveHealthChecker.Target mismatch = target(s, "mismatch", wrong.port());
        checker(config).update(List.of(dead, mismatch));

        await().atMost(WAIT).until(() -> !passing(dead) && !passing(mismatch));
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.lines()).contains(
                "signal n/mismatch ACTIVE_CHECK unhealthy 3 checks failed, last status 200 (expected 204)"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.lines())
                .anyMatch(l -> l.startsWith("signal n/dead ACTIVE_CHECK unhealthy 3 checks failed, last connect failed")));
        assertThat(s.healthy()).isZero();
    }

    @Test
    void removedBackendIsNoLongerCheckedAndItsVerdictIsWithdrawn() throws IOException {
        FakeBackend keep = backend();
        FakeBackend drop = backend();
        drop.status = 500;
        ActiveCheckConfig config = fast("2xx", PATIENT);
        ServiceHealth s = service(config);
        ActiveHealthChecker.Target kept = target(s, "keep", keep.port());
        ActiveHealthChecker.Target dropped = target(s, "drop", drop.port());
        ActiveHealthChecker checker = checker(config);
        checker.update(List.of(kept, dropped));
        await().atMost(WAIT).until(() -> !passing(dropped));

        checker.update(List.of(kept));
        assertThat(checker.size()).isEqualTo(1);
        assertThat(passing(dropped)).as("a stopped signal does not keep a backend out").isTrue();
        int keptBefore = keep.checks.get();
        // Still scheduled, it would be checked every 50 ms and never settle.
        int droppedBefore = settled("checks of the removed backend stop", drop.checks);
        // the check in progress at update (not waited for) may still land; more would follow if still scheduled
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> drop.checks.get() <= droppedBefore + 1);
        assertThat(keep.checks.get()).as("the other backend is still checked").isGreaterThan(keptBefore + 2);
        assertThat(passing(dropped)).isTrue();
    }

    @Test
    void firstCheckRunsSoonAfterABackendAppears() throws IOException {
        FakeBackend fake = backend();
        // 10 s interval: the first check comes within a tenth of it
        ActiveCheckConfig config = new ActiveCheckConfig("/ready", "HEAD", null, Duration.ofSeconds(10), null, null, null);
        ServiceHealth s = service(config);
        checker(config).update(List.of(target(s, "b1", fake.port())));

        await().atMost(Duration.ofSeconds(3)).until(() -> fake.checks.get() == 1);
        assertThat(fake.lastRequest).startsWith("HEAD /ready ");
    }

    @Test
    void closeStopsAllChecksAndThreads() throws IOException {
        FakeBackend fake = backend();
        ActiveCheckConfig config = fast("2xx", PATIENT);
        ServiceHealth s = service(config);
        ActiveHealthChecker checker = checker(config);
        checker.update(List.of(target(s, "b1", fake.port())));
        await().atMost(WAIT).until(() -> fake.checks.get() >= 2);

        checker.close();
        int after = settled("checks stop after close", fake.checks);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> fake.checks.get() == after);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(th -> th.getName().startsWith("switchboard-health-api-") && th.isAlive());
        checker.update(List.of(target(s, "b2", fake.port())));
        assertThat(checker.size()).as("closed checkers ignore updates").isZero();
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> checker(new ActiveCheckConfig(null, null, null, null, null, null, null)))
                .hasMessage("activeCheck.path: null (expected: a path, e.g. /health, to enable checks)");
        assertThatThrownBy(() -> checker(new ActiveCheckConfig("health", null, null, null, null, null, null)))
                .hasMessage("activeCheck.path: \"health\" (expected: starts with /, no spaces)");
        assertThatThrownBy(() -> checker(new ActiveCheckConfig("/h", "get me", null, null, null, null, null)))
                .hasMessage("activeCheck.method: \"get me\" (expected: an HTTP method such as GET)");
        assertThatThrownBy(() -> checker(new ActiveCheckConfig("/h", null, "2x", null, null, null, null)))
                .hasMessage("activeCheck.expectedStatus: \"2x\" (expected: a status such as 200 or a class such as 2xx)");
    }
}
