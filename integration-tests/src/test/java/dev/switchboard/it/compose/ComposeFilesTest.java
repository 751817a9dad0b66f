package dev.switchboard.it.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.InstanceHealth;
import dev.switchboard.discovery.InstanceId;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.discovery.ServiceSnapshot;
import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import dev.switchboard.router.table.ConsulRoutes;
import dev.switchboard.router.table.RouteDefinition;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} and the {@code Dockerfile} checked against the repository and against
 * Switchboard's own config loader, route parser and command line, so the compose quickstart cannot
 * drift from the code while nobody here can run Docker.
 */
public class ComposeFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");
    private static final Pattern URL_PORT = Pattern.compile("https?://[^/:\\s]+:(\\d+)(/\\S*)?");

    private static ComposeTopology topo;
    private static Dockerfile dockerfile;
    private static SwitchboardConfig routerConfig;

    @BeforeAll
    static void load() throws Exception {
        topo = ComposeTopology.load();
        dockerfile = Dockerfile.load(topo.router.build().orElseThrow().dockerfile());
        routerConfig = ConfigLoader.withEnvironment(topo.routerEnv).load(topo.routerConfig);
    }

    @Test
    void everyServiceHasAnImageOrABuildWhoseContextAndDockerfileExist() {
        for (ComposeFile.Service s : topo.compose.services().values()) {
            assertThat(s.image() != null || s.build().isPresent()).as("services.%s: image or build", s.name()).isTrue();
            s.build().ifPresent(b -> {
                assertThat(b.context()).as("services.%s.build context", s.name()).isDirectory();
                assertThat(b.dockerfile()).as("services.%s.build dockerfile", s.name()).isRegularFile();
            });
        }
    }

    @Test
    void imagesArePinnedAndLocalImagesAreBuiltHere() {
        List<String> images = new ArrayList<>();
        for (ComposeFile.Service s : topo.compose.services().values()) {
            if (s.build().isEmpty()) {
                images.add(s.image());
            }
        }
        dockerfile.stages().forEach(st -> images.add(st.image()));
        for (String image : images) {
            if (topo.compose.builtHere(image)) {
                continue; // built by another service of the file: Compose builds it instead of pulling
            }
            String last = image.substring(image.lastIndexOf('/') + 1);
            assertThat(last).as("image %s: pinned tag (expected: repo:tag, not latest)", image).contains(":");
            assertThat(last.substring(last.indexOf(':') + 1)).as("image %s tag", image).isNotEqualTo("latest");
            assertThat(image).as("image %s: a registry image, not one only a local build would have", image)
                    .doesNotEndWith(":local");
        }
    }

    @Test
    void consulIsTheOfficialImageWithTheUiAtTheVersionTheTestsRun() throws IOException {
        String script = Files.readString(Repo.path("integration-tests/consul/install-consul.sh"));
        Matcher m = Pattern.compile("CONSUL_VERSION=\"\\$\\{CONSUL_VERSION:-([0-9.]+)}\"").matcher(script);
        assertThat(m.find()).as("install-consul.sh pins CONSUL_VERSION").isTrue();
        assertThat(topo.consul.image()).isEqualTo("hashicorp/consul:" + m.group(1));
        assertThat(topo.register.image()).isEqualTo(topo.consul.image());
        assertThat(topo.consul.command()).contains("-ui");
        assertThat(topo.consul.ports()).extracting(ComposeFile.Port::target).contains(8500);
    }

    @Test
    void everyMountedHostPathExists() {
        for (ComposeFile.Service s : topo.compose.services().values()) {
            for (ComposeFile.Volume v : s.volumes()) {
                if (v.bind()) {
                    assertThat(topo.compose.file().getParent().resolve(v.source()))
                            .as("services.%s.volumes %s", s.name(), v.source()).exists();
                }
            }
        }
    }

    @Test
    void theRouterPublishesExactlyTheListenAndAdminPortsOfItsMountedConfig() {
        Set<Integer> configPorts = Set.of(routerConfig.listen().port(), routerConfig.admin().port());
        List<ComposeFile.Port> ports = topo.router.ports();
        assertThat(ports).extracting(ComposeFile.Port::target).containsExactlyInAnyOrderElementsOf(configPorts);
        // the README curls localhost:<port>: published ports must equal the container ports
        ports.forEach(p -> assertThat(p.published()).as("published port of %d", p.target()).isEqualTo(p.target()));
        // a published admin port is useless if the admin listener binds loopback inside the container
        assertThat(routerConfig.admin().address()).as("admin.address with the compose environment")
                .isNotIn("127.0.0.1", "localhost", "::1");
        assertThat(topo.routerConfig).isEqualTo(Repo.path("examples/compose/switchboard.yaml"));
    }

    @Test
    void everyEnvironmentVariableOfTheRouterIsOneSwitchboardReads() throws IOException {
        String configText = Files.readString(topo.routerConfig);
        Set<String> referenced = new TreeSet<>();
        Matcher m = ENV_REF.matcher(configText);
        while (m.find()) {
            referenced.add(m.group(1));
        }
        String entrypoint = String.join(" ", dockerfile.finalStage().last("ENTRYPOINT").execForm());
        for (String var : topo.router.environment().keySet()) {
            if (referenced.contains(var) || var.equals("SWITCHBOARD_CONFIG")
                    || (var.equals("JAVA_OPTS") && entrypoint.contains("$JAVA_OPTS"))) {
                continue;
            }
            // otherwise it must be one the loader reads: dropping it changes the effective config
            Map<String, String> without = new HashMap<>(topo.routerEnv);
            without.remove(var);
            assertThat(effective(configText, without)).as("services.%s.environment.%s: not read by Switchboard"
                    + " (expected: a variable the config loader reads, or a ${VAR} of the mounted config)",
                    topo.router.name(), var).isNotEqualTo(effective(configText, topo.routerEnv));
        }
        // every ${VAR} without a default is set, or loading would have failed in @BeforeAll
        String consulAddr = topo.routerEnv.get("CONSUL_HTTP_ADDR");
        assertThat(consulAddr).as("CONSUL_HTTP_ADDR").isEqualTo(topo.consul.name() + ":8500");
    }

    private static String effective(String text, Map<String, String> env) {
        try {
            return ConfigLoader.withEnvironment(env).parse(text).toString();
        } catch (ConfigException e) {
            return "invalid: " + e.getMessage();
        }
    }

    @Test
    void everyLongRunningServiceHasAHealthcheckItsImageCanRun() throws IOException {
        String finalStage = dockerfile.finalStage().all("RUN").stream().map(Dockerfile.Instruction::args)
                .collect(Collectors.joining("\n"));
        for (ComposeFile.Service s : topo.compose.services().values()) {
            if (s == topo.register) {
                assertThat(s.restart()).as("the one-shot register job").isEqualTo("no");
                assertThat(s.healthcheck()).as("a one-shot job has no healthcheck").isEmpty();
                continue;
            }
            List<String> test = s.healthcheck();
            assertThat(test).as("services.%s.healthcheck", s.name()).isNotEmpty();
            assertThat(test.get(0)).isIn("CMD", "CMD-SHELL");
            if (test.get(1).equals("curl")) {
                assertThat(topo.compose.builtHere(s.image()) || s.build().isPresent())
                        .as("services.%s: curl is only in the image this repo builds", s.name()).isTrue();
                assertThat(finalStage).as("the Dockerfile installs curl").containsPattern("apt-get install[^\\n]*\\bcurl\\b");
            }
        }
        assertThat(port(topo.router.healthcheck())).as("router healthcheck port").isEqualTo(routerConfig.admin().port());
        for (ComposeTopology.Backend b : topo.backends.values()) {
            List<String> test = topo.compose.service(b.service()).healthcheck();
            assertThat(String.join(" ", test)).as("services.%s.healthcheck", b.service())
                    .contains("http://127.0.0.1:" + b.port() + "/health");
        }
    }

    @Test
    void registrationsNameComposeServicesWithTheirPortsAndChecksAndTheirTagsAreRoutes() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(topo.registrations)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        Map<String, List<ServiceInstance>> byService = new TreeMap<>();
        Set<String> registered = new TreeSet<>();
        for (Path f : files) {
            JsonNode svc = JSON.readTree(f.toFile()).get("Service");
            assertThat(svc).as("%s: a Consul service definition {\"Service\": {...}}", f.getFileName()).isNotNull();
            String id = svc.path("ID").asText();
            String address = svc.path("Address").asText();
            int port = svc.path("Port").asInt();
            ComposeTopology.Backend backend = topo.backends.get(address);
            assertThat(backend).as("%s: Address %s is an example backend of the compose file %s",
                    f.getFileName(), address, topo.backends.keySet()).isNotNull();
            assertThat(id).as("%s: ID", f.getFileName()).isEqualTo(backend.name());
            assertThat(port).as("%s: Port is the backend's --port", f.getFileName()).isEqualTo(backend.port());
            JsonNode checks = svc.path("Checks");
            assertThat(checks.size()).as("%s: health checks", f.getFileName()).isPositive();
            for (JsonNode c : checks) {
                assertThat(URI.create(c.path("HTTP").asText())).as("%s: check URL", f.getFileName())
                        .isEqualTo(URI.create("http://" + address + ":" + port + "/health"));
                assertThat(c.path("Interval").asText()).isNotEmpty();
            }
            List<String> tags = new ArrayList<>();
            svc.path("Tags").forEach(t -> tags.add(t.asText()));
            Map<String, String> meta = new TreeMap<>();
            svc.path("Meta").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
            byService.computeIfAbsent(svc.path("Name").asText(), k -> new ArrayList<>()).add(new ServiceInstance(
                    new InstanceId("compose", id), svc.path("Name").asText(), address, port, 1, InstanceHealth.PASSING,
                    tags, new TreeMap<>(meta)));
            registered.add(address);
        }
        assertThat(registered).as("every example backend is registered").containsExactlyInAnyOrderElementsOf(topo.backends.keySet());
        assertThat(topo.register.dependsOn()).containsKeys(registered.toArray(String[]::new)).containsKey(topo.consul.name());

        List<ServiceSnapshot> snapshots = new ArrayList<>();
        byService.forEach((name, list) -> snapshots.add(ServiceSnapshot.of(name, list)));
        ConsulRoutes.Result routes = new ConsulRoutes().routes(CatalogSnapshot.of(snapshots));
        assertThat(routes.problems()).as("tag problems").isEmpty();
        Map<String, String> pathByService = new LinkedHashMap<>();
        for (RouteDefinition d : routes.routes()) {
            pathByService.put(d.config().service(), d.config().path());
        }
        // the README curls /web/ and /api/users
        assertThat(pathByService).containsEntry("web", "/web").containsEntry("api", "/api");
        for (String service : byService.keySet()) {
            assertThat(routes.routes()).filteredOn(d -> d.config().service().equals(service))
                    .as("a route for every instance of %s", service)
                    .allSatisfy(d -> assertThat(d.instances()).hasSize(byService.get(service).size()));
        }
    }

    @Test
    void selfRegistrationIsReachableFromConsul() {
        if (!Boolean.TRUE.equals(routerConfig.consul().register().enabled())) {
            return;
        }
        // With listen on a wildcard and no consul.register.address, the router registers its host name
        // (and checks admin on it when admin binds a wildcard): Consul must resolve that name.
        String listen = routerConfig.listen().address();
        if (routerConfig.consul().register().address() == null && (listen.equals("0.0.0.0") || listen.equals("::"))) {
            assertThat(topo.router.hostname()).as("services.%s.hostname (a name Docker's DNS resolves)", topo.router.name())
                    .isEqualTo(topo.router.name());
        }
    }

    @Test
    void dockerfileIsMultiStageNonRootContainerAwareWithAnAdminHealthcheck() {
        assertThat(dockerfile.stages()).hasSizeGreaterThanOrEqualTo(2);
        Dockerfile.Stage last = dockerfile.finalStage();
        Dockerfile.Instruction user = last.last("USER");
        assertThat(user).as("final stage USER").isNotNull();
        assertThat(user.args().split(":")[0]).isNotIn("root", "0");
        Dockerfile.Instruction health = last.last("HEALTHCHECK");
        assertThat(health).as("HEALTHCHECK").isNotNull();
        assertThat(port(List.of(health.args().split("\\s+")))).as("HEALTHCHECK port").isEqualTo(routerConfig.admin().port());
        String runtime = Stream.of("ENV", "ENTRYPOINT", "CMD").flatMap(k -> last.all(k).stream())
                .map(Dockerfile.Instruction::args).collect(Collectors.joining(" "));
        assertThat(runtime).containsPattern("MaxRAMPercentage|UseContainerSupport");
        Set<Integer> exposed = new TreeSet<>();
        last.all("EXPOSE").forEach(e -> Stream.of(e.args().split("\\s+")).forEach(p -> exposed.add(Integer.parseInt(p.split("/")[0]))));
        assertThat(exposed).containsExactlyInAnyOrder(routerConfig.listen().port(), routerConfig.admin().port());
        assertThat(String.join(" ", last.last("ENTRYPOINT").execForm()) + " " + String.join(" ", last.last("CMD").execForm()))
                .contains("run");
    }

    @Test
    void dockerfileBuildsTheJarTheRouterModuleBuildsFromFilesThatExist() throws IOException {
        String pom = Files.readString(Repo.path("router/pom.xml"));
        assertThat(pom).as("router/pom.xml shades into switchboard.jar").contains("<finalName>switchboard</finalName>");
        Dockerfile.Stage build = dockerfile.stages().get(0);
        Dockerfile.Stage last = dockerfile.finalStage();
        String buildRuns = build.all("RUN").stream().map(Dockerfile.Instruction::args).collect(Collectors.joining("\n"));
        Matcher cp = Pattern.compile("cp router/target/switchboard\\.jar (\\S+)").matcher(buildRuns);
        assertThat(cp.find()).as("the build stage takes router/target/switchboard.jar").isTrue();
        Dockerfile.Instruction copy = last.all("COPY").stream().filter(c -> c.args().startsWith("--from=" + build.name()))
                .findFirst().orElseThrow(() -> new AssertionError("final stage: COPY --from=" + build.name()));
        String[] w = copy.args().split("\\s+");
        assertThat(w[1]).as("COPY --from source").isEqualTo(cp.group(1));
        assertThat(String.join(" ", last.last("ENTRYPOINT").execForm())).contains("-jar " + w[2]);
        // the class-data archive: trained on that jar by the warmup command, used by the runtime flags
        String finalRuns = last.all("RUN").stream().map(Dockerfile.Instruction::args).collect(Collectors.joining("\n"));
        Matcher training = Pattern.compile("java .*-XX:ArchiveClassesAtExit=(\\S+) -jar (\\S+) warmup").matcher(finalRuns);
        assertThat(training.find()).as("the final stage runs a warmup training run: %s", finalRuns).isTrue();
        assertThat(training.group(2)).as("the training run's jar").isEqualTo(w[2]);
        String env = last.all("ENV").stream().map(Dockerfile.Instruction::args).collect(Collectors.joining(" "));
        assertThat(env).as("JAVA_OPTS use the archive").contains("-XX:SharedArchiveFile=" + training.group(1));
        // the build context: every COPY source exists, and every module's pom is there for the reactor
        Path context = topo.router.build().orElseThrow().context();
        for (Dockerfile.Instruction c : build.all("COPY")) {
            String[] parts = c.args().split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) {
                if (!parts[i].startsWith("--")) {
                    assertThat(context.resolve(parts[i])).as("COPY %s", parts[i]).exists();
                }
            }
        }
        Matcher mod = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(Repo.path("pom.xml")));
        String copies = build.all("COPY").stream().map(Dockerfile.Instruction::args).collect(Collectors.joining("\n"));
        while (mod.find()) {
            assertThat(copies).as("the Dockerfile copies module %s's pom (Maven needs every module of the reactor)", mod.group(1))
                    .contains(mod.group(1) + "/pom.xml");
        }
    }

    @Test
    void composeCommandsAreValidSwitchboardCommands() {
        // ComposeTopology parsed them with Switchboard's CLI; here the parse must also pick the subcommand
        assertThat(ComposeTopology.parse(topo.router.command()).subcommand().commandSpec().name()).isEqualTo("run");
        topo.backends.values().forEach(b -> assertThat(b.port()).isBetween(1, 65_535));
        assertThat(topo.backends.values()).extracting(ComposeTopology.Backend::name)
                .as("every backend answers with its service name").containsExactlyInAnyOrderElementsOf(topo.backends.keySet());
    }

    private static int port(List<String> words) {
        for (String w : words) {
            Matcher m = URL_PORT.matcher(w);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return fail("no http://host:port URL in " + words);
    }
}
