package dev.switchboard.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.testing.RawHttp;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.net.http.HttpRequest;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProxyBasicsTest {

    static TestBackend a;
    static TestBackend b;
    static TestBackend c;
    static RouterFixture router;

    @BeforeAll
    static void start() throws Exception {
        a = TestBackend.start("a");
        b = TestBackend.start("b");
        c = TestBackend.start("c");
        router = RouterFixture.start("""
                services:
                  web:
                    instances: [{address: "%s"}, {address: "%s"}]
                  api:
                    instances: [{address: "%s"}]
                  literal:
                    instances: [{address: "%s"}]
                routes:
                  - {path: /, service: web}
                  - {path: /api, service: api, rewrite: {strip_prefix: true}}
                  - {host: "*.example.com", path: /, service: api}
                  - {host: "[::1]", path: /, service: literal}
                  - {host: "10.1.2.3", path: /, service: literal}
                """.formatted(a.address(), b.address(), b.address(), c.address()));
    }

    @AfterAll
    static void stop() {
        router.close();
        a.close();
        b.close();
        c.close();
    }

    @Test
    void roundRobinsAcrossBackends() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            var r = router.get("/hello?x=1");
            assertThat(r.statusCode()).isEqualTo(200);
            seen.add(r.headers().firstValue("X-Backend").orElseThrow());
            assertThat(r.body()).endsWith("GET /hello?x=1\n");
        }
        assertThat(seen).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void stripsPrefixAndKeepsQuery() throws Exception {
        var r = router.get("/api/users/7?q=a%20b&z");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("b GET /users/7?q=a%20b&z\n");
    }

    @Test
    void ipLiteralHostsSelectTheirRoutesWithOrWithoutAPort() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            for (String host : new String[] {"[::1]:" + router.port(), "[::1]", "10.1.2.3:8080", "10.1.2.3"}) {
                http.send("GET /lit HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                assertThat(http.read().header("X-Backend")).as(host).isEqualTo("c");
            }
            for (String host : new String[] {"[::2]:" + router.port(), "10.1.2.4"}) {
                http.send("GET /lit HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                assertThat(http.read().header("X-Backend")).as(host).isIn("a", "b");
            }
        }
    }
}
