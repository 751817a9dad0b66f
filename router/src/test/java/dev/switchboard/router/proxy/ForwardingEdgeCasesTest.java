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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 forwarding cases a hand-run hunt found broken (2026-11-22): framing named in
 * {@code Connection}, chunked responses larger than the relay buffer, replays of non-idempotent
 * requests, upgrade offers with a body, transfer codings other than chunked. Two raw-socket backends
 * record every request they parse (request line and body length) and answer scripted bytes.
 */
class ForwardingEdgeCasesTest {

    static final List<String> seen = new CopyOnWriteArrayList<>();
    static ServerSocket a;
    static ServerSocket b;
    static RouterFixture router;

    @BeforeAll
    static void start() throws Exception {
        a = backend();
        b = backend();
        router = RouterFixture.start("""
                services:
                  one:
                    instances: [{address: "127.0.0.1:%d"}]
                    retry: {max_attempts: 1}
                    timeouts: {response: 3s}
                  two:
                    instances: [{address: "127.0.0.1:%d"}, {address: "127.0.0.1:%d"}]
                routes:
                  - {path: /, service: one}
                  - {path: /two, service: two, rewrite: {strip_prefix: true}}
                """.formatted(a.getLocalPort(), a.getLocalPort(), b.getLocalPort()));
    }

    @AfterAll
    static void stop() throws IOException {
        router.close();
        a.close();
        b.close();
    }

    @BeforeEach
    void clear() {
        seen.clear();
    }

    /** A chunked response bigger than the 32 KiB relay buffer, written by the backend in one go. */
    @Test
    void chunkedResponseLargerThanTheRelayBufferIsRelayedWhole() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            RawHttp.Response r = http.send("GET /chunked100k HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyBytes()).hasSize(100_000);
        }
    }

    /** Connection: Content-Length must not strip the framing of a streamed (> max_buffered_body) body. */
    @Test
    void connectionHeaderNamingContentLengthCannotSmuggleARequest() throws Exception {
        String pad = "P".repeat(70_000);
        String inner = "GET /smuggled HTTP/1.1\r\nHost: evil\r\nContent-Length: " + pad.length() + "\r\n\r\n" + pad;
        try (RawHttp http = new RawHttp(router.port())) {
            RawHttp.Response r = http.send("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: Content-Length\r\n"
                    + "Content-Length: " + inner.length() + "\r\n\r\n" + inner).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).as("the backend read the whole body as the POST's").isEqualTo("body=" + inner.length());
            assertThat(seen).noneMatch(s -> s.contains("/smuggled"));
        }
    }

    /** A POST the backend read completely and then reset must not be replayed on another backend. */
    @Test
    void nonIdempotentRequestIsNotReplayedAfterTheBackendReadIt() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            RawHttp.Response r = http.send("POST /two/reset HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\ncharge=100").read();
            assertThat(r.status()).isEqualTo(502);
        }
        assertThat(seen.stream().filter(s -> s.startsWith("POST /reset"))).hasSize(1);
    }

    /** curl --http2 -d x=1 http://...: an h2c upgrade offer on a request with a body. */
    @Test
    void upgradeOfferWithABodyForwardsTheBodyAndTheConnectionStaysUsable() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            RawHttp.Response r = http.send("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\nContent-Length: 3\r\n\r\nx=1").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("body=3");
            RawHttp.Response next = http.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(next.status()).isEqualTo(200);
        }
    }

    /** Transfer-Encoding: gzip (not chunked) must not be silently dropped with the body passed on still coded. */
    @Test
    void nonChunkedTransferCodingInAResponseIsNotDroppedSilently() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            RawHttp.Response r = http.send("GET /tegzip HTTP/1.1\r\nHost: x\r\n\r\n").read();
            boolean codingKept = r.header("Transfer-Encoding") != null
                    && r.header("Transfer-Encoding").toLowerCase(Locale.ROOT).contains("gzip");
            assertThat(r.status() == 502 || codingKept)
                    .as("502, or the gzip transfer coding kept; got %s %s", r.statusLine(), r.headers().stream()
                            .map(h -> h[0] + ": " + h[1]).toList())
                    .isTrue();
        }
    }

    /** Connection: Host must not leave the backend request without a Host header. */
    @Test
    void connectionHeaderNamingHostDoesNotDropHost() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            RawHttp.Response r = http.send("GET /echohead HTTP/1.1\r\nHost: x\r\nConnection: Host\r\n\r\n").read();
            assertThat(r.body().toLowerCase(Locale.ROOT)).contains("\r\nhost: ");
        }
    }

    /** A backend's Connection: Content-Length must not strip the response's own length either. */
    @Test
    void responseConnectionHeaderNamingContentLengthKeepsTheLength() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            RawHttp.Response r = http.send("GET /conncl HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok");
            assertThat(r.header("Content-Length")).isEqualTo("2");
            assertThat(http.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    /** A request transfer coding other than chunked alone is refused (RFC 9112 §6.1), not forwarded as chunked. */
    @Test
    void requestWithACodingBeforeChunkedGets501() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            RawHttp.Response r = http.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                    + "3\r\nabc\r\n0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(501);
            assertThat(r.header("X-Switchboard-Error")).isEqualTo("unsupported_transfer_coding");
        }
        assertThat(seen).isEmpty();
    }

    /** A response chunked twice is invalid (chunked must be applied once). */
    @Test
    void responseChunkedTwiceIs502() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            assertThat(http.send("GET /chunkedtwice HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(502);
        }
    }

    /**
     * A body that is invalid from its first byte, arriving with its head, is an invalid response
     * like any other: nothing went to the client yet, so an idempotent request goes to another
     * backend (and, with no other, gets a 502 on a connection that stays usable).
     */
    @Test
    void aBodyInvalidFromItsFirstReadIsRetriedElsewhere() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            assertThat(http.send("GET /badchunk HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(502);
            assertThat(http.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).as("connection kept").isEqualTo(200);
        }
        for (int i = 0; i < 4; i++) {
            try (RawHttp http = new RawHttp(router.port())) {
                RawHttp.Response r = http.send("GET /two/badchunk HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("good");
            }
        }
    }

    /** An HTTP/1.0 client asking for keep-alive is told the connection is kept, and it is. */
    @Test
    void http10KeepAliveIsAdvertisedAndHonoured() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            RawHttp.Response r = http.send("GET /echo HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(http.send("GET /echo HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    // ---- the raw backend ----

    private static ServerSocket backend() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket c = s.accept();
                    Thread ct = new Thread(() -> serve(c));
                    ct.setDaemon(true);
                    ct.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return s;
    }

    private static void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            for (String head; (head = RawHttp.readHead(in)) != null; ) {
                String requestLine = head.substring(0, head.indexOf("\r\n"));
                String path = requestLine.split(" ")[1];
                byte[] body = readBody(in, head);
                seen.add(requestLine + " body=" + body.length);
                switch (path) {
                    case "/chunked100k" -> {
                        ByteArrayOutputStream o = new ByteArrayOutputStream();
                        o.writeBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        for (int i = 0; i < 100; i++) {
                            o.writeBytes("3e8\r\n".getBytes(StandardCharsets.US_ASCII));
                            o.writeBytes(new byte[1000]);
                            o.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        o.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.write(o.toByteArray());
                    }
                    case "/reset" -> {
                        s.setSoLinger(true, 0);
                        return;
                    }
                    case "/tegzip" -> {
                        out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        ByteArrayOutputStream z = new ByteArrayOutputStream();
                        try (var g = new java.util.zip.GZIPOutputStream(z)) {
                            g.write("hello gzip".getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(z.toByteArray());
                        out.flush();
                        return;
                    }
                    case "/conncl" -> out.write("HTTP/1.1 200 OK\r\nConnection: Content-Length\r\nContent-Length: 2\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                    case "/badchunk" -> {
                        // Backend a: a valid head and an invalid chunk in one write; backend b: a good answer.
                        if (s.getLocalPort() == a.getLocalPort()) {
                            out.write("HTTP/1.1 200 Fine\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZ\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            return;
                        }
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ngood".getBytes(StandardCharsets.US_ASCII));
                    }
                    case "/chunkedtwice" -> out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "2\r\nok\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    case "/echohead" -> {
                        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
                        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + h.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(h);
                    }
                    default -> {
                        byte[] b = ("body=" + body.length).getBytes(StandardCharsets.US_ASCII);
                        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(b);
                    }
                }
                out.flush();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static byte[] readBody(InputStream in, String head) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.contains("\r\ntransfer-encoding: chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (;;) {
                String size = line(in);
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(n));
                line(in);
            }
        }
        int at = lower.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return new byte[0];
        }
        int end = lower.indexOf("\r\n", at + 2);
        return in.readNBytes(Integer.parseInt(lower.substring(at + 17, end).trim()));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("eof");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
