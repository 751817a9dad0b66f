package dev.switchboard.it.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import dev.switchboard.it.readme.Readme;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's compose quickstart, replayed without Docker: a real Consul agent (the extension's
 * {@code consul agent -dev}), the example app of the compose file ({@code switchboard backend}, here
 * in this JVM on free loopback ports), the registration files of {@code examples/compose/services}
 * registered with the real {@code consul services register}, and the router as a child JVM running
 * {@code switchboard run --config} on the compose config with the compose environment. Each README
 * command below is run verbatim through {@link QuickstartShell}.
 *
 * <p>Differences from Compose, and only these: addresses, ports and the Consul node name (a registration's
 * {@code Address} becomes {@code 127.0.0.1}, its {@code Port} and check URL the backend's free port;
 * the config copy changes only {@code listen.port} and {@code admin.port} to free ports;
 * {@code SWITCHBOARD_ADMIN_ADDRESS} is {@code 127.0.0.1} instead of {@code 0.0.0.0} because this
 * machine's network is loopback only), and the Consul agent is the test extension's dev agent, whose
 * node name replaces the compose file's {@code -node} in backend ids.
 */
@ExtendWith(ConsulAgentExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ComposeScenarioTest {

    static final String UP = "docker compose up --build -d";
    static final String CURL_WEB = "curl -s localhost:8080/web/";
    static final String CURL_API = "curl -s localhost:8080/api/users";
    static final String RUN_HELLO = "docker compose run -d --name hello-1 --no-deps web-1 backend --name hello-1 --port 9000";
    static final String REGISTER_HELLO = "docker compose exec consul consul services register -name=hello -id=hello-1"
            + " -address=hello-1 -port=9000 -tag='urlprefix-/hello strip=/hello'";
    static final String CURL_HELLO = "curl -s localhost:8080/hello/";
    static final String TOGGLE_WEB_1 = "docker compose exec web-1 curl -s -X POST localhost:9000/health/toggle";
    static final String LOOP_WEB = "for i in 1 2 3 4; do curl -s localhost:8080/web/; done";
    static final String LIST_BACKENDS = "curl -s localhost:8081/api/v1/backends | jq '.[] | {service, id, healthy, draining, in_flight}'";
    static final String DRAIN_WEB_1 = "curl -s -X POST -H 'Authorization: Bearer quickstart-token-change-me'"
            + " -d '{\"service\": \"web\", \"backend\": \"consul/web-1\"}' localhost:8081/api/v1/backends/drain";
    static final String UNDRAIN_WEB_1 = "curl -s -X POST -H 'Authorization: Bearer quickstart-token-change-me'"
            + " -d '{\"service\": \"web\", \"backend\": \"consul/web-1\"}' localhost:8081/api/v1/backends/undrain";

    /** The README quickstart commands this test runs, verbatim; ReadmeCommandsTest counts them as covered. */
    public static final List<String> REPLAYED = List.of(UP, CURL_WEB, CURL_API, RUN_HELLO, REGISTER_HELLO, CURL_HELLO,
            TOGGLE_WEB_1, LOOP_WEB, LIST_BACKENDS, DRAIN_WEB_1, UNDRAIN_WEB_1);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration SETTLE = Duration.ofSeconds(20);

    private LocalCompose compose;
    private QuickstartShell shell;
    private RouterProcess router;

    @BeforeAll
    void up(ConsulAgent agent) throws Exception {
        compose = LocalCompose.up(agent, SETTLE);
        shell = compose.shell;
        router = compose.router;
    }

    @AfterAll
    void down() throws Exception {
        if (compose != null) {
            compose.close();
        }
    }

    @Test
    @Order(0)
    void theReadmeQuickstartStillHasTheseCommands() {
        assertThat(Readme.load().commands("Quickstart")).containsAll(REPLAYED);
    }

    @Test
    @Order(1)
    void webIsBalancedAcrossItsTwoInstancesWithThePrefixStripped() throws Exception {
        await("both web instances answer").atMost(SETTLE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<String> answers = curl(CURL_WEB, 4);
            assertThat(answers).as("router log:\n%s", router.logTail())
                    .containsOnly("hello from web-1 (path /)\n", "hello from web-2 (path /)\n");
            // weighted_round_robin with equal weights: each in turn
            assertThat(answers).filteredOn(a -> a.contains("web-1")).hasSize(2);
        });
    }

    @Test
    @Order(2)
    void apiStripsItsPrefixAndUsesBothInstances() throws Exception {
        await("both api instances answer").atMost(SETTLE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<String> answers = curl(CURL_API, 20);
            assertThat(answers).containsOnly("hello from api-1 (path /users)\n", "hello from api-2 (path /users)\n")
                    .contains("hello from api-1 (path /users)\n", "hello from api-2 (path /users)\n");
        });
    }

    @Test
    @Order(3)
    void aNewlyRegisteredServiceIsRouted() throws Exception {
        shell.run(RUN_HELLO);
        assertThat(shell.run(REGISTER_HELLO).get(0)).contains("Registered service: hello");
        await("hello routed").atMost(SETTLE).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(shell.run(CURL_HELLO)).containsExactly("hello from hello-1 (path /)\n"));
    }

    @Test
    @Order(4)
    void aFailingCheckMovesTrafficAndAPassingOneBringsItBack() throws Exception {
        assertThat(shell.run(TOGGLE_WEB_1)).containsExactly("web-1 health is now failing\n");
        await("only web-2 answers").atMost(SETTLE).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(shell.run(LOOP_WEB)).hasSize(4).containsOnly("hello from web-2 (path /)\n"));
        assertThat(shell.run(TOGGLE_WEB_1)).containsExactly("web-1 health is now passing\n");
        await("web-1 back").atMost(SETTLE).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(shell.run(LOOP_WEB)).contains("hello from web-1 (path /)\n"));
    }

    @Test
    @Order(5)
    void theAdminApiListsBackendsWithTheFieldsTheReadmeSelects() throws Exception {
        String listed = shell.run(LIST_BACKENDS).get(0);
        assertThat(listed).contains("\"service\": \"web\"", "\"service\": \"api\"", "\"draining\": false");
        assertThat(listed).as("a field the README's jq filter selects is missing from /api/v1/backends")
                .doesNotContain(": null");
    }

    @Test
    @Order(6)
    void drainingABackendThroughTheAdminApiStopsItsTrafficAndUndrainingRestoresIt() throws Exception {
        String drained = shell.run(DRAIN_WEB_1).get(0);
        await("only web-2 answers after the drain").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(shell.run(LOOP_WEB)).as("drain answered: %s", drained)
                        .containsOnly("hello from web-2 (path /)\n"));
        String undrained = shell.run(UNDRAIN_WEB_1).get(0);
        await("web-1 back after the undrain").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(shell.run(LOOP_WEB)).as("undrain answered: %s", undrained)
                        .contains("hello from web-1 (path /)\n"));
    }

    @Test
    @Order(7)
    void theHttpApiTakesTheServiceObjectOfTheRegistrationFilesNotTheFileItself() throws Exception {
        // README: "jq .Service examples/compose/services/web-1.json | curl -X PUT --data-binary @- .../v1/agent/service/register"
        assertThat(Readme.load().text()).contains("jq .Service examples/compose/services/web-1.json | curl -X PUT --data-binary @-"
                + " localhost:8500/v1/agent/service/register");
        Path copy = compose.dir.resolve("services/web-1.json");
        String file = Files.readString(copy);
        URI register = URI.create(compose.agent.httpUrl() + "/v1/agent/service/register");
        HttpResponse<String> whole = HTTP.send(HttpRequest.newBuilder(register).PUT(HttpRequest.BodyPublishers.ofString(file)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(whole.statusCode()).as("the config-file format on the HTTP API: %s", whole.body()).isEqualTo(400);
        String service = JSON.writeValueAsString(JSON.readTree(file).get("Service"));
        HttpResponse<String> inner = HTTP.send(HttpRequest.newBuilder(register).PUT(HttpRequest.BodyPublishers.ofString(service)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(inner.statusCode()).as(inner.body()).isEqualTo(200);
        await("web still balanced after re-registering web-1").atMost(SETTLE).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(shell.run(LOOP_WEB)).contains("hello from web-1 (path /)\n", "hello from web-2 (path /)\n"));
    }

    @Test
    @Order(7)
    void theDashboardIsServedOnTheAdminPort() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + compose.adminPort + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
    }

    @Test
    @Order(8)
    void theHealthchecksOfTheComposeFileAndTheDockerfilePass() throws Exception {
        List<String> checks = new ArrayList<>();
        for (ComposeFile.Service s : compose.topo.compose.services().values()) {
            List<String> test = s.healthcheck();
            if (!test.isEmpty() && test.get(1).equals("curl")) {
                checks.add("docker compose exec " + s.name() + " " + String.join(" ", test.subList(1, test.size())));
            }
        }
        Dockerfile.Instruction hc = Dockerfile.load(compose.topo.router.build().orElseThrow().dockerfile()).finalStage().last("HEALTHCHECK");
        String cmd = hc.args().substring(hc.args().indexOf("CMD ") + 4).replace("|| exit 1", "").strip();
        checks.add("docker compose exec " + compose.topo.router.name() + " " + cmd);
        assertThat(checks).hasSizeGreaterThan(compose.topo.backends.size());
        for (String check : checks) {
            assertThat(shell.run(check)).as(check).hasSize(1);
        }
    }

    @Test
    @Order(9)
    void theRouterRegistersItselfInConsulWithAPassingCheck() {
        await("service switchboard passing in Consul").atMost(SETTLE).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(JSON.readTree(compose.agent.http("GET", "/v1/health/service/switchboard?passing=true", null)))
                        .as("router log:\n%s", router.logTail()).isNotEmpty());
    }

    @Test
    @Order(10)
    void downStopsTheRouterWithinItsDrainTimeout() throws Exception {
        long limit = compose.config.listen().drainTimeout().toSeconds() + 10;
        assertThat(router.stop(limit)).as("router exited within %d s of SIGTERM; log:\n%s", limit, router.logTail()).isTrue();
    }

    private List<String> curl(String command, int times) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            out.addAll(shell.run(command));
        }
        return out;
    }
}
