package dev.switchboard.router.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.router.backend.ServiceCluster;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Issue #3, sticky sessions end to end: a client that sends its cookie back stays on one backend; the
 * cookie is an opaque token, never the backend's address; a backend added through the API does not
 * move existing sessions; when the pinned backend dies the next request is served by another backend
 * and the response re-pins the cookie to it, and later requests stick to the new one.
 *
 * <p>Clients keep cookies by hand (read {@code Set-Cookie}, send {@code Cookie}) so the test sees
 * exactly when the router sets or resets one.
 */
class StickySessionTest {

    private static final String COOKIE = "SWITCHBOARD_STICKY";
    private static final int CLIENTS = 6;
    private static final int REQUESTS_PER_CLIENT = 20;

    @AutoClose
    private final TestBackend a = TestBackend.start("a");
    @AutoClose
    private final TestBackend b = TestBackend.start("b");
    @AutoClose
    private final TestBackend c = TestBackend.start("c");
    @AutoClose
    private final TestBackend d = TestBackend.start("d");
    @AutoClose
    private RouterFixture router;

    /** One client's view of one response: who served it and the cookie it set, if any. */
    private record Reply(int status, String backend, Optional<String> setCookie) {
    }

    private Reply get(String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(router.uri("/session"));
        if (cookie != null) {
            r.header("Cookie", COOKIE + "=" + cookie);
        }
        HttpResponse<String> resp = router.send(r);
        Optional<String> set = resp.headers().allValues("Set-Cookie").stream()
                .filter(v -> v.startsWith(COOKIE + "="))
                .map(v -> v.substring(COOKIE.length() + 1).split(";", 2)[0])
                .findFirst();
        return new Reply(resp.statusCode(), resp.headers().firstValue("X-Backend").orElse("?"), set);
    }

    private TestBackend byName(String name) {
        return switch (name) {
            case "a" -> a;
            case "b" -> b;
            case "c" -> c;
            case "d" -> d;
            default -> throw new AssertionError("unknown backend " + name);
        };
    }

    @Test
    void sessionsStickThroughGrowthAndMoveOnceWhenTheirBackendDies() throws Exception {
        router = RouterFixture.start("""
                upstream: {timeouts: {connect: 500ms, response: 3s}}
                services:
                  web:
                    strategy: sticky
                    instances: [{address: "%s"}, {address: "%s"}, {address: "%s"}]
                routes:
                  - {path: /, service: web}
                """.formatted(a.address(), b.address(), c.address()));

        // Each client's first request has no cookie: the fallback (round robin) picks and the cookie pins.
        List<String> cookies = new ArrayList<>();
        List<String> pinnedTo = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Reply first = get(null);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.setCookie()).as("first response of client %d sets the cookie", i).isPresent();
            String token = first.setCookie().orElseThrow();
            TestBackend served = byName(first.backend());
            assertThat(token).as("cookie of client %d", i)
                    .doesNotContain("127.0.0.1").doesNotContain(served.address());
            assertThat(decodedIfBase64(token)).doesNotContain("127.0.0.1").doesNotContain(served.address());
            assertThat(token).isEqualTo(ServiceCluster.stickyToken(Backends.live(router, "web", served)));
            cookies.add(token);
            pinnedTo.add(first.backend());
        }
        assertThat(new HashSet<>(pinnedTo)).as("round-robin fallback spreads new sessions").hasSize(3);

        assertSessionsStick(cookies, pinnedTo, "before growth");
        // A client may send the value in double quotes (RFC 6265): the same session.
        Reply quoted = get('"' + cookies.get(1) + '"');
        assertThat(quoted.backend()).isEqualTo(pinnedTo.get(1));
        assertThat(quoted.setCookie()).as("not re-pinned").isEmpty();

        // Growth: a fourth backend through the admin API. Existing sessions stay where they are.
        router.switchboard().addApiBackend(ServiceInstance.ofStatic("web", "127.0.0.1", d.port(), 1));
        assertThat(router.switchboard().registry().snapshot().get("web")).hasSize(4);
        assertSessionsStick(cookies, pinnedTo, "after adding d");
        assertThat(d.requests()).as("no existing session moved to the new backend").isZero();

        // The backend of client 0 dies: its next request is served elsewhere and re-pinned there.
        TestBackend dead = byName(pinnedTo.get(0));
        int deadBefore = dead.requests();
        dead.close();
        Reply moved = get(cookies.get(0));
        System.out.printf("sticky: client 0 pinned to %s (dead) moved to %s, new cookie %s (was %s)%n",
                pinnedTo.get(0), moved.backend(), moved.setCookie().orElse("-"), cookies.get(0));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.backend()).isNotEqualTo(pinnedTo.get(0));
        assertThat(dead.requests()).isEqualTo(deadBefore);
        assertThat(moved.setCookie()).as("the response re-pins the cookie").isPresent();
        String newToken = moved.setCookie().orElseThrow();
        assertThat(newToken).isNotEqualTo(cookies.get(0))
                .isEqualTo(ServiceCluster.stickyToken(Backends.live(router, "web", byName(moved.backend()))));
        for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
            Reply r = get(newToken);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.backend()).as("request %d after the move", i).isEqualTo(moved.backend());
            assertThat(r.setCookie()).as("cookie unchanged, not re-sent").isEmpty();
        }

        // Sessions whose backend is alive never noticed.
        List<String> aliveCookies = new ArrayList<>();
        List<String> alivePinned = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            if (!pinnedTo.get(i).equals(pinnedTo.get(0))) {
                aliveCookies.add(cookies.get(i));
                alivePinned.add(pinnedTo.get(i));
            }
        }
        assertThat(aliveCookies).isNotEmpty();
        assertSessionsStick(aliveCookies, alivePinned, "after the death of " + pinnedTo.get(0));
    }

    /** Every client sends its cookie {@link #REQUESTS_PER_CLIENT} times, interleaved; each lands on its own backend. */
    private void assertSessionsStick(List<String> cookies, List<String> pinnedTo, String when) throws Exception {
        Map<String, Integer> served = new TreeMap<>();
        for (int round = 0; round < REQUESTS_PER_CLIENT; round++) {
            for (int i = 0; i < cookies.size(); i++) {
                Reply r = get(cookies.get(i));
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.backend()).as("client %d, request %d, %s", i, round, when).isEqualTo(pinnedTo.get(i));
                assertThat(r.setCookie()).as("client %d keeps its cookie, %s", i, when).isEmpty();
                served.merge(r.backend(), 1, Integer::sum);
            }
        }
        System.out.printf("sticky %s: %d sessions x %d requests, served %s%n", when, cookies.size(),
                REQUESTS_PER_CLIENT, served);
    }

    private static String decodedIfBase64(String token) {
        Set<String> out = new HashSet<>();
        for (Base64.Decoder dec : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
            try {
                out.add(new String(dec.decode(token), java.nio.charset.StandardCharsets.ISO_8859_1));
            } catch (IllegalArgumentException e) {
                // not base64 in this alphabet
            }
        }
        return String.join("|", out);
    }
}
