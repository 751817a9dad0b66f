package dev.switchboard.it.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.opentest4j.TestAbortedException;

/**
 * {@code docker compose up} on this machine: the example backends of the compose file (in this JVM,
 * free loopback ports), the register job (the real {@code consul services register} on copies of
 * {@code examples/compose/services/*.json} with only addresses and ports rewritten), and the router
 * as a child JVM running the compose service's command on a copy of its config in which only
 * {@code listen.port} and {@code admin.port} differ. The agent is the test extension's.
 */
final class LocalCompose implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final ConsulAgent agent;
    final ComposeTopology topo;
    final SwitchboardConfig config;
    final QuickstartShell shell;
    final Path dir;
    final int listenPort = FreePorts.one();
    final int adminPort = FreePorts.one();
    RouterProcess router;

    private LocalCompose(ConsulAgent agent, Path consul) throws Exception {
        this.agent = agent;
        this.topo = ComposeTopology.load();
        this.dir = Files.createTempDirectory("switchboard-compose-");
        this.config = ConfigLoader.withEnvironment(topo.routerEnv).load(topo.routerConfig);
        Map<Integer, Integer> published = new HashMap<>();
        for (ComposeFile.Port p : topo.router.ports()) {
            published.put(p.published(), p.target() == config.listen().port() ? listenPort : adminPort);
        }
        int agentPort = Integer.parseInt(agent.httpAddress().substring(agent.httpAddress().lastIndexOf(':') + 1));
        topo.consul.ports().forEach(p -> published.put(p.published(), agentPort));
        this.shell = new QuickstartShell(port -> {
            Integer local = published.get(port);
            if (local == null) {
                throw new IllegalArgumentException("localhost:" + port + " is not published by docker-compose.yml " + published.keySet());
            }
            return local;
        }, consul, agent.httpAddress());
        shell.container(topo.router.name(), config.listen().port(), listenPort);
        shell.container(topo.router.name(), config.admin().port(), adminPort);
        String composeNode = topo.consul.command().stream().filter(a -> a.startsWith("-node=")).map(a -> a.substring(6))
                .findFirst().orElseThrow(() -> new AssertionError("services." + topo.consul.name() + ": -node=NAME (README's backend ids use it)"));
        shell.node(composeNode, JSON.readTree(agent.http("GET", "/v1/agent/self", null)).path("Config").path("NodeName").asText());
    }

    /** Starts everything and waits (up to {@code settle}) until the router's admin {@code /live} answers. */
    static LocalCompose up(ConsulAgent agent, Duration settle) throws Exception {
        Path consul = ConsulBinary.find().orElse(null);
        if (consul == null) {
            String how = "no consul binary for 'consul services register': run integration-tests/consul/install-consul.sh";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(how + " (CI=true)");
            }
            throw new TestAbortedException(how);
        }
        LocalCompose c = new LocalCompose(agent, consul);
        try {
            for (ComposeTopology.Backend b : c.topo.backends.values()) {
                c.shell.startBackend(b.service(), ComposeTopology.parse(c.topo.compose.service(b.service()).command()).subcommand());
            }
            c.registerAll(consul);
            c.router = RouterProcess.start(List.of("run", "--config", c.routerConfigCopy().toString()), c.routerEnv(),
                    c.dir.resolve("router.log"));
            await("router admin /live").atMost(settle).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(c.router.isAlive()).as("router process alive; log:\n%s", c.router.logTail()).isTrue();
                assertThat(status("http://127.0.0.1:" + c.adminPort + "/live")).isEqualTo(200);
            });
            return c;
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
    }

    /** The register job: every file of the mounted registrations directory, through the real CLI. */
    private void registerAll(Path consul) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(topo.registrations)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        Path copies = Files.createDirectories(dir.resolve("services"));
        for (Path f : files) {
            ObjectNode root = (ObjectNode) JSON.readTree(f.toFile());
            ObjectNode svc = (ObjectNode) root.get("Service");
            String container = svc.get("Address").asText();
            int local = shell.containerPort(container, svc.get("Port").asInt());
            String original = "http://" + container + ":" + svc.get("Port").asInt() + "/";
            svc.put("Address", "127.0.0.1");
            svc.put("Port", local);
            for (JsonNode c : svc.withArray("Checks")) {
                String url = c.get("HTTP").asText();
                assertThat(url).startsWith(original);
                ((ObjectNode) c).put("HTTP", "http://127.0.0.1:" + local + "/" + url.substring(original.length()));
            }
            Path copy = copies.resolve(f.getFileName());
            JSON.writeValue(copy.toFile(), root);
            String out = QuickstartShell.exec(List.of(consul.toString(), "services", "register",
                    "-http-addr=http://" + agent.httpAddress(), copy.toString()));
            assertThat(out).contains("Registered service: " + svc.get("Name").asText());
        }
    }

    /** The compose config with only listen.port and admin.port changed. */
    private Path routerConfigCopy() throws Exception {
        List<String> out = new ArrayList<>();
        String section = "";
        int changed = 0;
        for (String line : Files.readAllLines(topo.routerConfig)) {
            if (!line.startsWith(" ") && line.endsWith(":")) {
                section = line.substring(0, line.length() - 1);
            }
            String t = line.strip();
            if (section.equals("listen") && t.equals("port: " + config.listen().port())) {
                line = line.replace(t, "port: " + listenPort);
                changed++;
            } else if (section.equals("admin") && t.equals("port: " + config.admin().port())) {
                line = line.replace(t, "port: " + adminPort);
                changed++;
            }
            out.add(line);
        }
        assertThat(changed).as("listen.port and admin.port lines in %s", topo.routerConfig).isEqualTo(2);
        return Files.write(dir.resolve("switchboard.yaml"), out);
    }

    /** The compose environment; the agent's address, and the admin listener on loopback (this machine's network). */
    private Map<String, String> routerEnv() {
        Map<String, String> env = new HashMap<>(topo.routerEnv);
        env.put("CONSUL_HTTP_ADDR", agent.httpAddress());
        env.replace("SWITCHBOARD_ADMIN_ADDRESS", "127.0.0.1");
        return env;
    }

    static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() throws Exception {
        if (router != null) {
            router.close();
        }
        shell.close();
    }
}
