package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Instances come and go in a real Consul and the router follows: a registration becomes routable
 * within seconds (the sub-second median is {@link PropagationLatencyTest}'s), a failing check
 * takes an instance out, a deregistration under load costs no request, and Fabio-style tags of a
 * rolling deploy merge per instance.
 */
@ExtendWith(ConsulAgentExtension.class)
class ConsulRoutingTest {

    private static Router router;
    private static Catalog catalog;

    @BeforeAll
    static void start(ConsulAgent agent) throws Exception {
        catalog = new Catalog(agent);
        router = Router.start(agent);
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void aRegisteredInstanceIsRoutableWithinSeconds() throws Exception {
        String web = Catalog.unique("web");
        try (Backend b = Backend.start(web + "-1")) {
            long t0 = System.nanoTime();
            catalog.register(web, web + "-1", b.port(), List.of("urlprefix-/" + web));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> b.name().equals(router.body("/" + web + "/x")));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("registration -> routable: %d ms%n", millis);
            // One sample on a shared router (cold watch thread, JIT, 250 ms pacing, 50 ms publish delay):
            // a busy machine can push it past 1 s. The sub-second claim is PropagationLatencyTest's median.
            assertThat(millis).as("registration to first routed request, ms").isLessThanOrEqualTo(3000);
        } finally {
            catalog.deregister(web + "-1");
        }
    }

    @Test
    void whenEveryInstanceFailsItsRouteAnswers503AndAShorterPrefixDoesNotTakeOver() throws Exception {
        String api = Catalog.unique("api");
        String front = Catalog.unique("front");
        try (Backend a = Backend.start(api + "-1"); Backend f = Backend.start(front + "-1")) {
            catalog.register(front, front + "-1", f.port(), List.of("urlprefix-/"));
            catalog.register(api, api + "-1", a.port(), List.of("urlprefix-/" + api));
            await().atMost(Duration.ofSeconds(10)).until(() -> a.name().equals(router.body("/" + api + "/x")));

            f.resetHits(); // it caught /api requests until the api route appeared
            catalog.fail(api + "-1");
            await().atMost(Duration.ofSeconds(10)).until(() -> router.switchboard().catalog().service(api) != null
                    && router.switchboard().catalog().service(api).routable().isEmpty());
            router.switchboard().refresh("test barrier: the catalog's rebuild has run");
            var r = router.get("/" + api + "/x");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("X-Switchboard-Error")).hasValue("no_healthy_backend");
            assertThat(f.hits()).as("the catch-all service got none of /" + api).isZero();

            catalog.pass(api + "-1");
            await().atMost(Duration.ofSeconds(10)).until(() -> a.name().equals(router.body("/" + api + "/x")));
        } finally {
            catalog.deregister(api + "-1");
            catalog.deregister(front + "-1");
        }
    }

    @Test
    void aFailingCheckStopsTrafficToThatInstance() throws Exception {
        String api = Catalog.unique("api");
        try (Backend b1 = Backend.start(api + "-1"); Backend b2 = Backend.start(api + "-2")) {
            catalog.register(api, api + "-1", b1.port(), List.of("urlprefix-/" + api));
            catalog.register(api, api + "-2", b2.port(), List.of("urlprefix-/" + api));
            await().atMost(Duration.ofSeconds(10)).until(() -> answering("/" + api, 20).size() == 2);

            catalog.fail(api + "-2");
            await().atMost(Duration.ofSeconds(10)).until(() -> router.switchboard().catalog().service(api) != null
                    && router.switchboard().catalog().service(api).routable().size() == 1);
            router.switchboard().refresh("test barrier: the catalog's rebuild has run");
            b1.resetHits();
            b2.resetHits();
            Set<String> after = answering("/" + api, 40);

            assertThat(after).containsExactly(b1.name());
            assertThat(b2.hits()).isZero();
            assertThat(b1.hits()).isEqualTo(40);

            catalog.pass(api + "-2");
            await().atMost(Duration.ofSeconds(10)).until(() -> answering("/" + api, 20).size() == 2);
        } finally {
            catalog.deregister(api + "-1");
            catalog.deregister(api + "-2");
        }
    }

    @Test
    void deregisteringOneOfSeveralInstancesUnderLoadCostsNoRequest() throws Exception {
        String svc = Catalog.unique("svc");
        try (Backend b1 = Backend.start(svc + "-1"); Backend b2 = Backend.start(svc + "-2");
                Backend b3 = Backend.start(svc + "-3")) {
            for (Backend b : List.of(b1, b2, b3)) {
                catalog.register(svc, b.name(), b.port(), List.of("urlprefix-/" + svc));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> answering("/" + svc, 30).size() == 3);

            try (Load load = Load.start(router, "/" + svc + "/steady", 4, Duration.ofSeconds(30))) {
                await().atMost(Duration.ofSeconds(5)).until(() -> load.ok() > 200);
                catalog.deregister(b3.name());
                // the instance is out once it stops receiving requests; then it may go away entirely
                await().atMost(Duration.ofSeconds(10)).until(() -> router.switchboard().catalog().service(svc)
                        .instances().size() == 2);
                router.switchboard().refresh("test barrier: the catalog's rebuild has run");
                long hitsAtRemoval = b3.hits();
                long okAtRemoval = load.ok();
                await().atMost(Duration.ofSeconds(5)).until(() -> load.ok() > okAtRemoval + 300);
                assertThat(b3.hits()).as("requests reaching the deregistered instance after the router saw it go")
                        .isLessThanOrEqualTo(hitsAtRemoval + 4); // at most the ones in flight when it was removed
                b3.close();
                long okAfterStop = load.ok();
                await().atMost(Duration.ofSeconds(5)).until(() -> load.ok() > okAfterStop + 300);
                load.close();
                System.out.printf("deregister under load: %d ok, %d errors%n", load.ok(), load.errors());
                assertThat(load.errors()).as("client-visible errors: %s", load.reasons()).isZero();
            }
        } finally {
            catalog.deregister(svc + "-1");
            catalog.deregister(svc + "-2");
            catalog.deregister(svc + "-3");
        }
    }

    /**
     * Fabio's rolling deploy: v1 instances carry {@code urlprefix-/app}, v2 instances carry it and a
     * new {@code urlprefix-/app/v2}. Each route goes to exactly the instances that declare it, and
     * the old route keeps working while both versions run and after v1 is gone.
     */
    @Test
    void rollingDeployTagsMergePerInstance() throws Exception {
        String app = Catalog.unique("app");
        try (Backend v1 = Backend.start(app + "-v1"); Backend v2 = Backend.start(app + "-v2")) {
            catalog.register(app, v1.name(), v1.port(), List.of("urlprefix-/" + app));
            await().atMost(Duration.ofSeconds(10)).until(() -> v1.name().equals(router.body("/" + app + "/x")));

            catalog.register(app, v2.name(), v2.port(), List.of("urlprefix-/" + app, "urlprefix-/" + app + "/v2"));
            await().atMost(Duration.ofSeconds(10)).until(() -> v2.name().equals(router.body("/" + app + "/v2/x")));

            assertThat(answering("/" + app + "/x", 40)).containsExactlyInAnyOrder(v1.name(), v2.name());
            assertThat(answering("/" + app + "/v2/x", 40)).containsExactly(v2.name());

            catalog.deregister(v1.name());
            await().atMost(Duration.ofSeconds(10)).until(() -> router.switchboard().catalog().service(app)
                    .instances().size() == 1);
            router.switchboard().refresh("test barrier: the catalog's rebuild has run");
            assertThat(answering("/" + app + "/x", 20)).containsExactly(v2.name());
        } finally {
            catalog.deregister(app + "-v1");
            catalog.deregister(app + "-v2");
        }
    }

    /** Which backends answered {@code n} sequential GETs (null stands for a non-200 answer). */
    private static Set<String> answering(String path, int n) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String body = router.body(path);
            names.add(body == null ? "<error>" : body);
        }
        return names;
    }
}
