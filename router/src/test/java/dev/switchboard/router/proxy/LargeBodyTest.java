package dev.switchboard.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 1 GiB each way through the proxy. The test JVM's heap is capped well below that (see the router
 * pom's surefire argLine), so any buffering of a whole body would fail with OutOfMemoryError; on top,
 * used heap after the transfer must stay within a small bound.
 */
class LargeBodyTest {

    static final long GIB = 1024L * 1024 * 1024;
    static TestBackend backend;
    static RouterFixture router;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("big");
        router = RouterFixture.start("""
                services:
                  big: {instances: [{address: "%s"}]}
                routes:
                  - {path: /, service: big}
                """.formatted(backend.address()));
    }

    @AfterAll
    static void stop() {
        router.close();
        backend.close();
    }

    @Test
    void oneGibDownloadStreams() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThan(GIB);
        HttpResponse<InputStream> r = router.client().send(
                HttpRequest.newBuilder(router.uri("/bytes/" + GIB)).timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        long total = 0;
        byte[] buf = new byte[256 * 1024];
        try (InputStream in = r.body()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
            }
        }
        assertThat(total).isEqualTo(GIB);
        assertThat(usedHeapAfterGc()).isLessThan(192L * 1024 * 1024);
    }

    @Test
    void oneGibChunkedUploadStreams() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(router.uri("/upload"))
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ZeroStream(GIB)))
                .build();
        HttpResponse<String> r = router.client().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("big received " + GIB + "\n");
        assertThat(usedHeapAfterGc()).isLessThan(192L * 1024 * 1024);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** {@code length} zero bytes, generated on the fly. */
    static final class ZeroStream extends InputStream {
        private long left;

        ZeroStream(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
