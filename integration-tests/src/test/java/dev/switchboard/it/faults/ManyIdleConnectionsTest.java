package dev.switchboard.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * 10,000 idle client connections (issue #7): the router keeps serving, its heap stays bounded, and
 * when the clients close, its open file descriptors return to where they started. The clients live
 * in a child process ({@link IdleClients}) so this JVM, which runs the router, holds only the
 * router's side. The target shrinks to what {@code ulimit -n} allows, and the test is skipped with a
 * message when that is under 1,000.
 */
class ManyIdleConnectionsTest {

    static final int TARGET = 10_000;
    /** Heap the router may spend per idle connection, on average (Undertow keeps no buffer for an idle one). */
    static final long HEAP_PER_CONNECTION = 10 * 1024;
    /** FDs that may come and go around us (class loading, GC logs, the JDK client's selector). */
    static final int FD_SLACK = 50;

    @Test
    void tenThousandIdleConnectionsLeaveTheRouterServingAndFdsReturnToStart() throws Exception {
        int fdStart = ProcessStats.openFds();
        Assumptions.assumeTrue(fdStart > 0, "no /proc/self/fd on this system: cannot count open file descriptors");
        long limit = ProcessStats.maxOpenFiles();
        int target = (int) Math.min(TARGET, limit - fdStart - 1000);
        Assumptions.assumeTrue(target >= 1000, "ulimit -n is " + limit + ": too low for a meaningful idle-connection test");
        if (target < TARGET) {
            System.out.printf("ulimit -n %d allows %d idle connections, not %d%n", limit, target, TARGET);
        }
        try (TestBackend backend = TestBackend.start("b");
             RouterFixture router = RouterFixture.start("""
                     listen: {address: 127.0.0.1, port: 0, idle_timeout: 120s}
                     admin: {enabled: false}
                     services:
                       web: {instances: [{address: "%s"}]}
                     routes:
                       - {path: /, service: web}
                     """.formatted(backend.address()))) {
            assertThat(router.get("/before").statusCode()).isEqualTo(200);
            // Collect first: the collection can close descriptors of earlier test classes' clients.
            long heapBefore = ProcessStats.heapAfterGc();
            int fdBefore = ProcessStats.openFds();

            Process child = startClients(router.port(), target);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                 Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
                String opened = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
                assertThat(opened).isEqualTo("OPEN " + target);
                // The router accepts asynchronously: wait until it holds its side of every connection.
                // The slack: this JVM's other descriptors may close meanwhile (the router closes pooled
                // connections whose backends, from earlier test classes, went away).
                await().atMost(Duration.ofSeconds(30)).until(() -> ProcessStats.openFds() >= fdBefore + target - FD_SLACK);
                int fdOpen = ProcessStats.openFds();

                List<Integer> statuses = new java.util.ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    statuses.add(router.get("/during/" + i).statusCode());
                }
                assertThat(statuses).as("requests while %d connections are idle", target).containsOnly(200);
                long heapOpen = ProcessStats.heapAfterGc();
                System.out.printf("%d idle connections: fds %d -> %d, heap after GC %.1f MiB -> %.1f MiB (%+d bytes per connection)%n",
                        target, fdBefore, fdOpen, heapBefore / 1048576.0, heapOpen / 1048576.0, (heapOpen - heapBefore) / target);
                assertThat(heapOpen - heapBefore).as("heap growth with the connections open")
                        .isLessThan(HEAP_PER_CONNECTION * target);

                in.write("close\n");
                in.flush();
                assertThat(CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS)).isEqualTo("CLOSED");
            } finally {
                child.destroy();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ProcessStats.openFds() <= fdBefore + FD_SLACK);
            System.out.printf("after close: fds %d (before %d)%n", ProcessStats.openFds(), fdBefore);
            assertThat(router.get("/after").statusCode()).isEqualTo(200);
        }
    }

    private static Process startClients(int port, int count) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                IdleClients.class.getName(), String.valueOf(port), String.valueOf(count))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static String readLine(BufferedReader r) {
        try {
            return r.readLine();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
