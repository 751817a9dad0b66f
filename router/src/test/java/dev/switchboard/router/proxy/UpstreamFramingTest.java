package dev.switchboard.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.RawHttp;
import dev.switchboard.router.testing.RouterFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the router reads what a backend writes: every response framing, interim responses, and the
 * cases where the connection must not be used again. The backend is a raw socket answering
 * scripted bytes per request path, so each framing is exactly what the test says.
 */
class UpstreamFramingTest {

    private static final Map<String, String> SCRIPTS = Map.ofEntries(
            Map.entry("/chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"),
            Map.entry("/both", "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
            Map.entry("/extra", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA"),
            Map.entry("/early", "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nmain"),
            Map.entry("/folded", "HTTP/1.1 200 OK\r\nX-A: 1\r\n continued\r\nContent-Length: 2\r\n\r\nok"),
            Map.entry("/cut", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"),
            Map.entry("/short", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"),
            Map.entry("/until-close", "HTTP/1.1 200 OK\r\n\r\nall of it"),
            Map.entry("/badchunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
            Map.entry("/upload", "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbig!"),
            Map.entry("/custom-reason", "HTTP/1.1 299 Fine Enough\r\nContent-Length: 2\r\n\r\nok"),
            Map.entry("/lowercase-reason", "HTTP/1.1 200 ok\r\nContent-Length: 2\r\n\r\nok"));
    /** Scripts after which the backend closes the connection. */
    private static final java.util.Set<String> CLOSING = java.util.Set.of("/cut", "/short", "/until-close", "/upload");

    static ServerSocket server;
    static final AtomicInteger accepted = new AtomicInteger();
    static RouterFixture router;

    @BeforeAll
    static void start() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(UpstreamFramingTest::acceptLoop, "raw-backend");
        acceptor.setDaemon(true);
        acceptor.start();
        router = RouterFixture.start("""
                services:
                  raw:
                    instances: [{address: "127.0.0.1:%d"}]
                    retry: {max_attempts: 1}
                routes: [{path: /, service: raw}]
                """.formatted(server.getLocalPort()));
    }

    @AfterAll
    static void stop() throws IOException {
        router.close();
        server.close();
    }

    private static void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "raw-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            for (String path; (path = readRequestPath(in)) != null; ) {
                out.write(SCRIPTS.getOrDefault(path, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (CLOSING.contains(path)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the router closed the connection
        }
    }

    /** Reads a request head (no body in these tests) and returns its path, or null at EOF. */
    private static String readRequestPath(InputStream in) throws IOException {
        String head = RawHttp.readHead(in);
        return head == null ? null : head.split(" ")[1];
    }

    private static RawHttp.Response get(RawHttp http, String path) throws IOException {
        return http.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
    }

    @Test
    void chunkedResponseWithExtensionsAndTrailersIsDecodedAndTheConnectionReused() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            int before = accepted.get();
            for (int i = 0; i < 3; i++) {
                RawHttp.Response r = get(http, "/chunked");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("hello world");
            }
            assertThat(accepted.get() - before).as("one upstream connection for three responses").isLessThanOrEqualTo(1);
        }
    }

    @Test
    void reasonPhrasesAreRelayedAsTheBackendWroteThem() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            assertThat(get(http, "/custom-reason").statusLine()).isEqualTo("HTTP/1.1 299 Fine Enough");
            assertThat(get(http, "/lowercase-reason").statusLine()).isEqualTo("HTTP/1.1 200 ok");
            assertThat(get(http, "/chunked").statusLine()).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void transferEncodingOverridesContentLength() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            RawHttp.Response r = get(http, "/both");
            assertThat(r.body()).isEqualTo("abc");
            assertThat(r.header("Content-Length")).isNull();
        }
    }

    @Test
    void bytesAfterTheBodyAreNotRelayedAndTheConnectionIsNotReused() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            assertThat(get(http, "/extra").body()).isEqualTo("ok");
            int before = accepted.get();
            assertThat(get(http, "/extra").body()).isEqualTo("ok");
            assertThat(accepted.get()).as("a fresh connection after unrequested bytes").isEqualTo(before + 1);
        }
    }

    @Test
    void interimResponsesAreSkipped() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            RawHttp.Response r = get(http, "/early");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("main");
            assertThat(r.header("Link")).isNull();
        }
    }

    @Test
    void invalidHeadsAndChunksAre502() throws Exception {
        for (String path : new String[] {"/folded"}) {
            try (RawHttp http = new RawHttp(router.port())) {
                RawHttp.Response r = get(http, path);
                assertThat(r.status()).as(path).isEqualTo(502);
                assertThat(r.header("X-Switchboard-Error")).isEqualTo("upstream_invalid_response");
            }
        }
    }

    @Test
    void aBodyCutShortOrBadlyChunkedIsAnAbortedResponseNeverAShortSuccess() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            http.send("GET /cut HTTP/1.1\r\nHost: x\r\n\r\n");
            // If the router relayed the first bytes before it saw the backend's end, the response is
            // chunked to the client and the last chunk never comes: the reader hits the end of stream.
            // If it saw the cut before sending anything, the client gets a 502. Never a 200.
            try {
                RawHttp.Response r = http.read();
                assertThat(r.status()).isEqualTo(502);
                assertThat(r.header("X-Switchboard-Error")).isEqualTo("upstream_invalid_response");
            } catch (IOException aborted) {
                // the aborted response
            }
        }
        try (RawHttp http = new RawHttp(router.port())) {
            // Invalid from the body's first byte, which came with the head: nothing was sent yet, so
            // the client gets a 502 rather than a connection closed without a word.
            RawHttp.Response r = get(http, "/badchunk");
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.header("X-Switchboard-Error")).isEqualTo("upstream_invalid_response");
        }
        try (RawHttp http = new RawHttp(router.port())) {
            RawHttp.Response r = get(http, "/short");
            assertThat(r.header("Content-Length")).isEqualTo("10");
            assertThat(r.bodyBytes()).as("fewer bytes than announced, then the connection closes").hasSizeLessThan(10);
            assertThat(http.closedByPeer()).isTrue();
        }
        try (RawHttp http = new RawHttp(router.port())) {
            assertThat(get(http, "/chunked").body()).as("the router keeps serving").isEqualTo("hello world");
        }
    }

    @Test
    void anEarlyAnswerFromABackendThatStopsReadingTheBodyIsRelayedNotA502() throws Exception {
        // The backend answers 413 after the head and closes without reading the body (its kernel
        // resets the connection): the router must relay the 413, not report a reset.
        byte[] body = new byte[4 << 20];
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), router.port())) {
            client.setSoTimeout(10_000);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                } catch (IOException routerStoppedReading) {
                    // expected once the router has answered
                }
            }, "uploader");
            writer.setDaemon(true);
            writer.start();
            InputStream in = client.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                head.write(c);
            }
            assertThat(head.toString(StandardCharsets.US_ASCII).trim()).isEqualTo("HTTP/1.1 413 Payload Too Large");
        }
    }

    @Test
    void aBodyDelimitedByCloseIsRelayedWhole() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            RawHttp.Response r = get(http, "/until-close");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("all of it");
        }
    }
}
