package dev.switchboard.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

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
    static RouterFixture router;

    @BeforeAll
    static void start() throws Exception {
        a = TestBackend.start("a");
        b = TestBackend.start("b");
        router = RouterFixture.start("""
                services:
                  web:
                    instances: [{address: "%s"}, {address: "%s"}]
                  api:
                    instances: [{address: "%s"}]
                routes:
                  - {path: /, service: web}
                  - {path: /api, service: api, rewrite: {strip_prefix: true}}
                  - {host: "*.example.com", path: /, service: api}
                """.formatted(a.address(), b.address(), b.address()));
    }

    @AfterAll
    static void stop() {
        router.close();
        a.close();
        b.close();
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
}
