package dev.switchboard.it.faults;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security defaults (issue #7) that no other test pins down: the admin listener's socket is bound
 * to loopback unless the config names another address ({@code ConfigLoaderTest} checks only the
 * config default); the admin token is compared in constant time; and an {@code X-Forwarded-For}
 * from a client that is not a trusted proxy neither picks the backend of a client-IP hash nor
 * appears as the client in the access log. Covered elsewhere: error responses that leak nothing
 * ({@link ErrorResponsesLeakNothingTest} for the proxy, {@link AdminApiAbuseTest} for the admin
 * listener) and the forwarded headers a backend gets ({@code ProxyHeadersTest}).
 */
class SecurityDefaultsTest {

    static final String TOKEN = "security-defaults-token-0123456789";
    static final List<TestBackend> backends = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        for (String name : List.of("a", "b", "c", "d")) {
            backends.add(TestBackend.start(name));
        }
    }

    @AfterAll
    static void stop() {
        backends.forEach(TestBackend::close);
    }

    private static String services(String strategy) {
        return "services:\n  web:\n    strategy: " + strategy + "\n    instances: ["
                + backends.stream().map(b -> "{address: \"" + b.address() + "\"}").collect(Collectors.joining(", "))
                + "]\nroutes: [{path: /, service: web}]\n";
    }

    /** Addresses with a listening TCP socket on {@code port}, read from the kernel's tables. */
    private static Set<String> listeningOn(int port) throws IOException {
        Set<String> found = new TreeSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (f[3].equals("0A") && Integer.parseInt(local[1], 16) == port) {
                    // Each 32-bit word of the address is in host (little-endian) order.
                    byte[] raw = HexFormat.of().parseHex(local[0]);
                    for (int w = 0; w < raw.length; w += 4) {
                        for (int i = 0; i < 2; i++) {
                            byte t = raw[w + i];
                            raw[w + i] = raw[w + 3 - i];
                            raw[w + 3 - i] = t;
                        }
                    }
                    found.add(InetAddress.getByAddress(raw).getHostAddress());
                }
            }
        }
        return found;
    }

    @Test
    void adminListenerIsBoundToLoopbackUnlessTheConfigSaysOtherwise() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs /proc/net/tcp to see bound addresses");
        try (RouterFixture byDefault = RouterFixture.launch("admin: {port: 0, token: " + TOKEN + "}\n" + services("round_robin"));
             RouterFixture configured = RouterFixture.launch("admin: {address: 127.0.0.2, port: 0, token: " + TOKEN + "}\n"
                     + services("round_robin"))) {
            assertThat(listeningOn(byDefault.adminPort())).containsExactly("127.0.0.1");
            // The check reads the socket, not the config: another loopback address shows as itself.
            assertThat(listeningOn(configured.adminPort())).containsExactly("127.0.0.2");
            // From this host's other addresses the admin listener is not there at all.
            List<InetAddress> others = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).toList();
            for (InetAddress a : others) {
                Throwable refused = catchThrowable(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(a, byDefault.adminPort()), 2000);
                    }
                });
                assertThat(refused).as("admin port via " + a).isInstanceOf(ConnectException.class);
            }
            System.out.printf("admin listener by default: %s; refused via %s%n", listeningOn(byDefault.adminPort()), others);
        }
    }

    @Test
    void adminTokenIsComparedInConstantTime() throws IOException {
        // ApiServlet compares SHA-256 digests of the given and the configured token with
        // MessageDigest.isEqual (equal length, no early exit). A timing test would be slow and
        // flaky, so this pins the call in the class file the router runs.
        try (InputStream in = SecurityDefaultsTest.class.getResourceAsStream("/dev/switchboard/router/admin/ApiServlet.class")) {
            assertThat(in).isNotNull();
            String constants = new String(in.readAllBytes(), ISO_8859_1);
            assertThat(constants).contains("java/security/MessageDigest").contains("isEqual").contains("SHA-256");
        }
    }

    /** Which backends answered {@code GET /} with each of the forwarded-for values. */
    private static Set<String> backendsFor(RouterFixture router, List<String> forwardedFor) throws Exception {
        Set<String> seen = new TreeSet<>();
        for (String xff : forwardedFor) {
            var r = router.send(HttpRequest.newBuilder(router.uri("/")).header("X-Forwarded-For", xff));
            assertThat(r.statusCode()).isEqualTo(200);
            seen.add(r.headers().firstValue("X-Backend").orElseThrow());
        }
        return seen;
    }

    @Test
    void untrustedForwardedForNeverPicksTheBackendOfAClientIpHash() throws Exception {
        List<String> forwardedFor = new ArrayList<>(IntStream.range(1, 65).mapToObj(i -> "203.0.113." + i).toList());
        forwardedFor.addAll(List.of("10.0.0.1, 198.51.100.7", "2001:db8::1", "127.0.0.2", "not-an-address", "unknown"));
        for (String strategy : List.of("ring_hash", "maglev")) {
            try (RouterFixture untrusting = RouterFixture.start(services(strategy));
                 RouterFixture trusting = RouterFixture.start("listen: {address: 127.0.0.1, port: 0, trusted_proxies: [127.0.0.0/8]}\n"
                         + services(strategy))) {
                Set<String> untrusted = backendsFor(untrusting, forwardedFor);
                Set<String> trusted = backendsFor(trusting, forwardedFor);
                System.out.printf("%s, %d X-Forwarded-For values: untrusted client -> %s, trusted proxy -> %s%n",
                        strategy, forwardedFor.size(), untrusted, trusted);
                assertThat(untrusted).as("one client, one backend, whatever it claims").hasSize(1);
                // Control: from a trusted proxy the same values are the clients, and they spread.
                assertThat(trusted).as("the hash follows X-Forwarded-For from a trusted proxy").hasSizeGreaterThan(1);
            }
        }
    }

    @Test
    void accessLogShowsTheSocketPeerNotTheForwardedFor() throws Exception {
        Path log = dir.resolve("access.log");
        List<String> forwardedFor = List.of("6.6.6.6", "203.0.113.9, 6.6.6.6", "6.6.6.6, 127.0.0.1");
        try (RouterFixture router = RouterFixture.launch("access_log: {enabled: true, format: common, output: \"" + log + "\"}\n"
                + services("round_robin"))) {
            backendsFor(router, forwardedFor);
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && Files.readAllLines(log).size() == forwardedFor.size());
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(forwardedFor.size()).allSatisfy(line -> {
            assertThat(line).startsWith("127.0.0.1 ");
            assertThat(line).doesNotContain("6.6.6.6").doesNotContain("203.0.113.9");
        });
    }
}
