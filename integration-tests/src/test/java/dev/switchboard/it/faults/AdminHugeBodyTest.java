package dev.switchboard.it.faults;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.router.testing.RawHttp;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bodies of several MiB at the admin API (issue #7). The API takes at most 64 KiB; a body that
 * declares more, or passes that while chunked, is refused with a JSON 413 at once, without being
 * read, let alone kept: the answer arrives while most of the body is still unsent, the listener's
 * threads allocate a fraction of what was sent, the connection serves the next request once the
 * client has sent the rest (read and thrown away, up to 16 MiB; beyond, the connection closes after
 * the 413), and the proxy serves throughout.
 */
class AdminHugeBodyTest {

    static final String TOKEN = "huge-body-test-token-0123456789";
    static final int MIB = 1024 * 1024;
    static final int SIZE = 8 * MIB;
    static final byte[] BLOCK = new byte[64 * 1024];

    static TestBackend web;
    static RouterFixture router;

    @BeforeAll
    static void start() throws Exception {
        web = TestBackend.start("web");
        router = AdminApiAbuseTest.launchWithAdmin(TOKEN, web);
    }

    @AfterAll
    static void stop() {
        router.close();
        web.close();
    }

    private static String head(String auth, String framing) {
        return "POST /api/v1/backends/drain HTTP/1.1\r\nHost: admin\r\nContent-Type: application/json\r\n"
                + (auth == null ? "" : "Authorization: Bearer " + auth + "\r\n") + framing + "\r\n\r\n";
    }

    private static String chunk(int size) {
        return Integer.toHexString(size) + "\r\n";
    }

    /** Heap allocated so far by every Undertow (XNIO) thread in this JVM: the admin listener's, the proxy's, the backend's. */
    private static long xnioAllocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count allocation per thread");
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("XNIO-")) {
                sum += Math.max(0, threads.getThreadAllocatedBytes(t.getId()));
            }
        }
        return sum;
    }

    private static void assertJson413(RawHttp.Response r) throws Exception {
        assertThat(r.status()).as(r.statusLine() + " " + r.body()).isEqualTo(413);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(new ObjectMapper().readTree(r.body()).get("field").asText()).isEqualTo("body");
    }

    private static void assertProxyServes() throws Exception {
        assertThat(router.get("/during").body()).isEqualTo("web GET /during\n");
    }

    /** The connection that carried the refused body still serves: the router read the rest and threw it away. */
    private static void assertNextRequestServed(RawHttp http) throws Exception {
        http.send("GET /api/v1/routes HTTP/1.1\r\nHost: admin\r\n\r\n");
        assertThat(http.read().status()).isEqualTo(200);
    }

    @Test
    void declaredSeveralMiBIs413BeforeTheBodyIsSent() throws Exception {
        for (String auth : new String[] {TOKEN, null}) {
            long allocatedBefore = xnioAllocatedBytes();
            try (RawHttp http = new RawHttp(router.adminPort())) {
                http.send(head(auth, "Content-Length: " + SIZE)).send(BLOCK);
                // Answered with 8 MiB - 64 KiB still unsent: the body was not waited for.
                RawHttp.Response r = http.read();
                assertJson413(r);
                assertThat(r.body()).contains(SIZE + " bytes");
                assertProxyServes();
                for (int sent = BLOCK.length; sent < SIZE; sent += BLOCK.length) {
                    http.send(BLOCK);
                }
                assertNextRequestServed(http);
            }
            long allocated = xnioAllocatedBytes() - allocatedBefore;
            System.out.printf("declared %d MiB (token: %s): Undertow threads allocated %d KiB%n", SIZE / MIB, auth != null, allocated / 1024);
            assertThat(allocated).as("bytes allocated while refusing an 8 MiB body").isLessThan(SIZE / 4);
        }
    }

    @Test
    void chunkedSeveralMiBIs413OnceItPasses64KiB() throws Exception {
        long allocatedBefore = xnioAllocatedBytes();
        try (RawHttp http = new RawHttp(router.adminPort())) {
            http.send(head(TOKEN, "Transfer-Encoding: chunked"));
            for (int i = 0; i < 2; i++) {
                http.send(chunk(BLOCK.length)).send(BLOCK).send("\r\n");
            }
            // 128 KiB sent and no end in sight: the API has read its 64 KiB and answers.
            RawHttp.Response r = http.read();
            assertJson413(r);
            assertThat(r.body()).contains("more than 65536 bytes");
            assertProxyServes();
            for (int sent = 2 * BLOCK.length; sent < SIZE; sent += BLOCK.length) {
                http.send(chunk(BLOCK.length)).send(BLOCK).send("\r\n");
            }
            http.send("0\r\n\r\n");
            assertNextRequestServed(http);
        }
        long allocated = xnioAllocatedBytes() - allocatedBefore;
        System.out.printf("chunked %d MiB: Undertow threads allocated %d KiB%n", SIZE / MIB, allocated / 1024);
        assertThat(allocated).as("bytes allocated while refusing an 8 MiB body").isLessThan(SIZE / 4);
    }

    @Test
    void chunkedWithoutTheTokenIs401BeforeAnyOfTheBodyIsRead() throws Exception {
        try (RawHttp http = new RawHttp(router.adminPort())) {
            http.send(head(null, "Transfer-Encoding: chunked")).send(chunk(BLOCK.length)).send(BLOCK).send("\r\n");
            RawHttp.Response r = http.read();
            assertThat(r.status()).isEqualTo(401);
            assertThat(new ObjectMapper().readTree(r.body()).get("error").asText()).contains("bearer token");
            assertProxyServes();
            http.send("0\r\n\r\n");
            assertNextRequestServed(http);
        }
    }

    @Test
    void moreThanTheListenerDiscardsClosesTheConnectionAfterThe413() throws Exception {
        try (RawHttp http = new RawHttp(router.adminPort())) {
            http.send(head(TOKEN, "Content-Length: " + 64L * MIB)).send("{\"service\":".getBytes(UTF_8));
            assertJson413(http.read());
            assertThat(http.closedByPeer()).as("64 MiB is more than the listener throws away: it closes").isTrue();
        }
        assertProxyServes();
    }
}
