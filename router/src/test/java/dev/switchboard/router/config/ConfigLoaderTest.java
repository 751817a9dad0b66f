package dev.switchboard.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String ADMIN_TOKEN = "admin-token-0123456789";

    @TempDir
    Path dir;

    private static Path complete() throws URISyntaxException {
        return Path.of(ConfigLoaderTest.class.getResource("/config/complete.yaml").toURI());
    }

    private static SwitchboardConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.withEnvironment(Map.of()).parse(yaml);
    }

    private static List<String> problems(String yaml) {
        try {
            ConfigLoader.withEnvironment(Map.of()).parse(yaml);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the config to be rejected:\n" + yaml);
    }

    @Test
    void completeFileBindsEverySection() throws Exception {
        SwitchboardConfig c = ConfigLoader.withEnvironment(Map.of("ADMIN_TOKEN", ADMIN_TOKEN)).load(complete());

        ListenConfig l = c.listen();
        assertThat(l).isEqualTo(new ListenConfig("127.0.0.1", 9080, 2, 32 * 1024L, 4096, 10L * 1024 * 1024,
                Duration.ofSeconds(90), Duration.ofSeconds(5), Duration.ofSeconds(20),
                List.of("10.0.0.0/8", "192.168.1.1", "fd00::/8")));
        assertThat(c.admin()).isEqualTo(new AdminConfig(true, "127.0.0.1", 9081, ADMIN_TOKEN, true));
        assertThat(c.upstream()).isEqualTo(new UpstreamConfig(32, 100, Duration.ofSeconds(2), Duration.ofSeconds(30),
                new TimeoutsConfig(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(45)), false));
        assertThat(c.consul()).isEqualTo(new ConsulConfig(true, "https://consul.internal:8501", null, "dc2",
                "/etc/ssl/consul-ca.pem", Duration.ofSeconds(30), false, true, true,
                "/var/lib/switchboard/catalog.json", "switchboard/config",
                new ConsulConfig.RegisterConfig(true, "edge", "10.0.0.9")));

        assertThat(c.services()).containsOnlyKeys("web", "billing");
        assertThat(c.services().keySet()).containsExactly("web", "billing");
        ServiceConfig web = c.services().get("web");
        assertThat(web.strategy()).isEqualTo("sticky");
        assertThat(web.sticky()).isEqualTo(new ServiceConfig.StickyConfig("WEB_STICKY", "least_request", Duration.ofHours(1)));
        assertThat(web.hashKey()).isEqualTo(new ServiceConfig.HashKeyConfig("header", "X-User"));
        assertThat(web.instances()).containsExactly(new InstanceConfig("10.0.0.11:8080", 2),
                new InstanceConfig("[fd00::12]:8080", 1), new InstanceConfig("web-3.internal:8080", 1));
        assertThat(web.slowStart()).isEqualTo(Duration.ofSeconds(30));
        assertThat(web.maxInFlightPerBackend()).isEqualTo(200);
        assertThat(web.timeouts()).isEqualTo(new TimeoutsConfig(Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(30)));
        assertThat(web.outlier()).isEqualTo(new ServiceConfig.OutlierConfig(3, List.of(500, 502, 503), 0.25, 50,
                Duration.ofSeconds(20), Duration.ofSeconds(15), Duration.ofMinutes(2), 30, 40));
        assertThat(web.activeCheck()).isEqualTo(new ServiceConfig.ActiveCheckConfig("/healthz", "HEAD", "204",
                Duration.ofSeconds(3), Duration.ofMillis(500), 3, 4));
        assertThat(web.circuit()).isEqualTo(new ServiceConfig.CircuitConfig(true, 7, 0.6, 30, Duration.ofSeconds(30),
                Duration.ofSeconds(8), 2));
        assertThat(web.retry()).isEqualTo(new ServiceConfig.RetryConfig(2, List.of(503), Duration.ofSeconds(3),
                "X-Idempotent", 0.1, 5, Duration.ofMillis(10), Duration.ofMillis(100), 128 * 1024L));
        ServiceConfig billing = c.services().get("billing");
        assertThat(billing.strategy()).isEqualTo("ring_hash");
        assertThat(billing.hashKey()).isEqualTo(new ServiceConfig.HashKeyConfig("cookie", "session"));
        assertThat(billing.instances()).isEmpty();

        assertThat(c.routes()).hasSize(2);
        RouteConfig api = c.routes().get(0);
        assertThat(api).isEqualTo(new RouteConfig("web-api", "*.example.com", "/api", List.of("GET", "POST"),
                Map.of("X-Canary", "yes"), "web", new RewriteConfig(true, null, null, null),
                new TimeoutsConfig(null, Duration.ofSeconds(5), null), true, false, 1000, "config"));
        RouteConfig billingRoute = c.routes().get(1);
        assertThat(billingRoute.name()).isEqualTo("/billing");
        assertThat(billingRoute.rewrite().replacePrefix()).isEqualTo("/v2/billing");
        assertThat(c.accessLog()).isEqualTo(new AccessLogConfig(true, "common", "/var/log/switchboard/access.log"));
    }

    @Test
    void completeFileTakesEnvironmentValuesAndDefaults() throws Exception {
        SwitchboardConfig c = ConfigLoader.withEnvironment(Map.of("ADMIN_TOKEN", ADMIN_TOKEN, "PORT", "7000",
                "CONSUL_TOKEN", "consul-secret")).load(complete());

        assertThat(c.listen().port()).isEqualTo(7000);
        assertThat(c.consul().token()).isEqualTo("consul-secret");
    }

    @Test
    void absentSectionsTakeDefaults() throws Exception {
        SwitchboardConfig c = parse("listen: {port: 1234}\nservices:\n  web:\n    instances: [{address: 'a:1'}]\n");

        assertThat(c.listen()).isEqualTo(new ListenConfig(null, 1234, null, null, null, null, null, null, null, null));
        assertThat(c.listen().address()).isEqualTo("0.0.0.0");
        assertThat(c.listen().maxHeaderSize()).isEqualTo(16 * 1024L);
        assertThat(c.listen().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.admin()).isEqualTo(AdminConfig.DEFAULT);
        assertThat(c.admin().address()).isEqualTo("127.0.0.1");
        assertThat(c.admin().port()).isEqualTo(8081);
        assertThat(c.upstream()).isEqualTo(UpstreamConfig.DEFAULT);
        assertThat(c.upstream().timeouts()).isEqualTo(TimeoutsConfig.GLOBAL_DEFAULT);
        assertThat(c.consul()).isEqualTo(ConsulConfig.DEFAULT);
        assertThat(c.consul().enabled()).isFalse();
        assertThat(c.consul().waitTime()).isEqualTo(Duration.ofSeconds(55));
        assertThat(c.accessLog()).isEqualTo(AccessLogConfig.DEFAULT);
        assertThat(c.routes()).isEmpty();
        ServiceConfig web = c.services().get("web");
        assertThat(web.strategy()).isEqualTo("round_robin");
        assertThat(web.outlier()).isEqualTo(ServiceConfig.OutlierConfig.DEFAULT);
        assertThat(web.outlier().failureStatuses()).containsExactly(502, 503, 504);
        assertThat(web.retry().maxAttempts()).isEqualTo(3);
        assertThat(web.activeCheck().enabled()).isFalse();
        assertThat(web.timeouts()).isEqualTo(TimeoutsConfig.INHERIT);
    }

    @Test
    void partialTimeoutsKeepTheOtherGlobalDefaults() throws Exception {
        SwitchboardConfig c = parse("upstream: {timeouts: {connect: 250ms}}");

        assertThat(c.upstream().timeouts()).isEqualTo(new TimeoutsConfig(Duration.ofMillis(250),
                TimeoutsConfig.GLOBAL_DEFAULT.response(), TimeoutsConfig.GLOBAL_DEFAULT.idle()));
    }

    @Test
    void emptyBlankAndCommentOnlyFilesAreTheDefaults() throws Exception {
        assertThat(parse("")).isEqualTo(SwitchboardConfig.DEFAULT);
        assertThat(parse("  \n\n")).isEqualTo(SwitchboardConfig.DEFAULT);
        assertThat(parse("# nothing configured yet\n# ${NOT_SET} is only mentioned\n")).isEqualTo(SwitchboardConfig.DEFAULT);
        assertThat(parse("---\n")).isEqualTo(SwitchboardConfig.DEFAULT);
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        assertThat(ConfigLoader.withEnvironment(Map.of()).load(empty)).isEqualTo(SwitchboardConfig.DEFAULT);
    }

    @Test
    void quotedEmptyStringIsNotNull() {
        assertThat(problems("listen: {address: \"\"}")).containsExactly("listen.address: \"\" (expected: a non-empty value)");
    }

    @Test
    void emptySectionsAndEmptyServiceTakeDefaults() throws Exception {
        SwitchboardConfig c = parse("listen:\nadmin:\nservices:\n  billing:\n");

        assertThat(c.listen()).isEqualTo(ListenConfig.DEFAULT);
        assertThat(c.admin()).isEqualTo(AdminConfig.DEFAULT);
        assertThat(c.services()).containsExactly(Map.entry("billing", ServiceConfig.DEFAULT));
    }

    @Test
    void substitutesVariablesAndDefaults() throws Exception {
        ConfigLoader loader = ConfigLoader.withEnvironment(Map.of("PORT", "9999", "HOST", "10.1.2.3"));

        SwitchboardConfig c = loader.parse("""
                listen: {address: "${HOST}", port: ${PORT:-1}, io_threads: ${THREADS:-3}}
                admin: {address: "${ADMIN_ADDR:-127.0.0.2}"}
                """);

        assertThat(c.listen().address()).isEqualTo("10.1.2.3");
        assertThat(c.listen().port()).isEqualTo(9999);
        assertThat(c.listen().ioThreads()).isEqualTo(3);
        assertThat(c.admin().address()).isEqualTo("127.0.0.2");
    }

    @Test
    void missingVariablesAreReportedByLineTogether() {
        assertThat(problems("listen:\n  port: ${PORT}\n  address: ${ADDR}   # ${IN_A_COMMENT}\n")).containsExactly(
                "line 2: ${PORT}: not set (expected: environment variable PORT set, or a default written as ${PORT:-default})",
                "line 3: ${ADDR}: not set (expected: environment variable ADDR set, or a default written as ${ADDR:-default})");
    }

    @Test
    void hashInsideQuotesIsNotAComment() {
        assertThat(problems("listen: {address: \"a#${ADDR}\"}\n")).containsExactly(
                "line 1: ${ADDR}: not set (expected: environment variable ADDR set, or a default written as ${ADDR:-default})");
    }

    @Test
    void multiLineVariableValueIsRefused() {
        ConfigLoader loader = ConfigLoader.withEnvironment(Map.of("ADDR", "x\nadmin: {enabled: false}"));

        assertThatThrownBy(() -> loader.parse("listen: {address: ${ADDR}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("line 1: ${ADDR}: value contains a line break (expected: a single-line value)");
    }

    @Test
    void environmentFillsUnsetConsulAndAdminSettings() throws Exception {
        Map<String, String> env = Map.of("CONSUL_HTTP_ADDR", "10.0.0.5:8501", "CONSUL_HTTP_SSL", "true",
                "CONSUL_HTTP_TOKEN", "consul-acl-token", "CONSUL_DATACENTER", "dc9", "CONSUL_CACERT", "/ca.pem",
                "SWITCHBOARD_ADMIN_TOKEN", ADMIN_TOKEN);

        SwitchboardConfig c = ConfigLoader.withEnvironment(env).parse("consul: {enabled: true}");

        assertThat(c.consul().address()).isEqualTo("https://10.0.0.5:8501");
        assertThat(c.consul().token()).isEqualTo("consul-acl-token");
        assertThat(c.consul().datacenter()).isEqualTo("dc9");
        assertThat(c.consul().caFile()).isEqualTo("/ca.pem");
        assertThat(c.admin().token()).isEqualTo(ADMIN_TOKEN);
    }

    @Test
    void fileValuesWinOverEnvironmentDefaults() throws Exception {
        Map<String, String> env = Map.of("CONSUL_HTTP_ADDR", "10.0.0.5:8500", "CONSUL_HTTP_TOKEN", "from-env",
                "SWITCHBOARD_ADMIN_TOKEN", "env-admin-token-0123456789");

        SwitchboardConfig c = ConfigLoader.withEnvironment(env).parse("""
                consul: {address: "consul.local:8500", token: from-file}
                admin: {token: file-admin-token-0123456789}
                """);

        assertThat(c.consul().address()).isEqualTo("consul.local:8500");
        assertThat(c.consul().token()).isEqualTo("from-file");
        assertThat(c.admin().token()).isEqualTo("file-admin-token-0123456789");
    }

    @Test
    void blankEnvironmentValuesCountAsUnset() throws Exception {
        SwitchboardConfig c = ConfigLoader.withEnvironment(Map.of("CONSUL_HTTP_ADDR", " ", "CONSUL_HTTP_TOKEN", ""))
                .parse("");

        assertThat(c.consul().address()).isNull();
        assertThat(c.consul().token()).isNull();
    }

    @Test
    void unknownFieldNamesTheFullPathAndTheKnownFields() {
        assertThat(problems("services:\n  web:\n    outlier:\n      consecutive_failure: 3\n")).containsExactly(
                "services.web.outlier.consecutive_failure: unknown field (expected: one of base_ejection_time, "
                        + "consecutive_failures, error_rate_min_requests, error_rate_threshold, failure_statuses, "
                        + "max_ejection_percent, max_ejection_time, panic_threshold, window)");
        assertThat(problems("listn: {port: 1}")).containsExactly(
                "listn: unknown field (expected: one of access_log, admin, consul, listen, routes, services, upstream)");
        assertThat(problems("routes: [{path: /, service: web}, {path: /a, servce: web}]").get(0))
                .startsWith("routes[1].servce: unknown field (expected: one of access_log, headers, host, ");
    }

    @Test
    void routeSourceIsNotAConfigField() {
        assertThat(problems("routes: [{path: /, service: web, source: consul}]")).containsExactly(
                "routes[0].source: unknown field (expected: one of access_log, headers, host, max_in_flight, methods, "
                        + "name, path, preserve_host, rewrite, service, timeouts)");
    }

    @Test
    void wrongTypesNameTheValueAndTheExpectedType() {
        assertThat(problems("listen: {port: abc}")).containsExactly("listen.port: \"abc\" (expected: a whole number)");
        assertThat(problems("listen: {port: \"8080\"}")).containsExactly("listen.port: \"8080\" (expected: a whole number)");
        assertThat(problems("listen: {port: 80.5}")).containsExactly("listen.port: 80.5 (expected: a whole number)");
        assertThat(problems("listen: {port: true}")).containsExactly("listen.port: true (expected: a whole number)");
        assertThat(problems("listen: {port: 99999999999}"))
                .containsExactly("listen.port: 99999999999 (expected: a whole number up to 2147483647)");
        assertThat(problems("services: [web, api]")).containsExactly("services: a list (expected: a mapping)");
        assertThat(problems("listen: {trusted_proxies: {a: b}}"))
                .containsExactly("listen.trusted_proxies: a mapping (expected: a list)");
        assertThat(problems("listen: {trusted_proxies: 10.0.0.0/8}"))
                .containsExactly("listen.trusted_proxies: \"10.0.0.0/8\" (expected: a list)");
        assertThat(problems("listen: 8080")).containsExactly("listen: 8080 (expected: a mapping)");
        assertThat(problems("services: {web: {outlier: {error_rate_threshold: high}}}"))
                .containsExactly("services.web.outlier.error_rate_threshold: \"high\" (expected: a number)");
        assertThat(problems("admin: {enabled: maybe}")).containsExactly("admin.enabled: \"maybe\" (expected: true or false)");
        assertThat(problems("services: {web: {instances: [\"10.0.0.1:80\"]}}"))
                .containsExactly("services.web.instances[0]: \"10.0.0.1:80\" (expected: a mapping)");
        assertThat(problems("just text")).containsExactly("(root): \"just text\" (expected: a mapping)");
        assertThat(problems("- a\n- b\n")).containsExactly("(root): a list (expected: a mapping)");
    }

    @Test
    void nullListEntriesAreRefused() {
        assertThat(problems("routes: [~]")).containsExactly("routes[0]: null (expected: a mapping)");
        assertThat(problems("services: {web: {outlier: {failure_statuses: [502, ~]}}}"))
                .containsExactly("services.web.outlier.failure_statuses[1]: null (expected: a whole number)");
    }

    @Test
    void invalidDurationAndSizeNameWhatIsAccepted() {
        assertThat(problems("listen: {idle_timeout: 5 seconds}")).containsExactly(
                "listen.idle_timeout: \"5 seconds\" (expected: a duration such as 250ms, 1s, 1.5s, 2m or 1h)");
        assertThat(problems("listen: {idle_timeout: 30}")).containsExactly(
                "listen.idle_timeout: \"30\" (expected: a duration such as 250ms, 1s, 1.5s, 2m or 1h)");
        assertThat(problems("listen: {idle_timeout: [1s]}")).containsExactly(
                "listen.idle_timeout: a list (expected: a duration such as 250ms, 1s, 1.5s, 2m or 1h)");
        assertThat(problems("listen: {max_header_size: 12 parsecs}")).containsExactly(
                "listen.max_header_size: \"12 parsecs\" (expected: a size such as 512, 16KiB, 1MiB or 2GiB)");
        assertThat(problems("listen: {max_request_body: 99999999999GiB}")).containsExactly(
                "listen.max_request_body: \"99999999999GiB\" (expected: a size such as 512, 16KiB, 1MiB or 2GiB)");
    }

    @Test
    void yamlSyntaxErrorGivesLineAndColumnWithoutEchoingTheText() {
        List<String> problems = problems("admin:\n  port: 8081\n  token: \"half-quoted-secret-value\n");

        assertThat(problems).containsExactly("YAML syntax error at line 4, column 1: found unexpected end of stream "
                + "(while scanning a quoted scalar started at line 3, column 10)");
        assertThat(problems("listen:\n  port: 1\n address: x\n")).containsExactly("YAML syntax error at line 3, column 2: "
                + "expected <block end>, but found '<block mapping start>' (while parsing a block mapping started at line 1, column 1)");
        assertThat(problems("listen: {port: 1\n").get(0)).startsWith("YAML syntax error at line 2, column 1: ");
    }

    @Test
    void duplicateKeysAreErrors() {
        assertThat(problems("listen:\n  port: 1\n  port: 2\n"))
                .containsExactly("listen.port: duplicate key at line 3 (expected: each key once per mapping)");
        assertThat(problems("services:\n  web: {}\n  web: {}\n"))
                .containsExactly("services.web: duplicate key at line 3 (expected: each key once per mapping)");
        assertThat(problems("listen: {}\nlisten: {}\n"))
                .containsExactly("listen: duplicate key at line 2 (expected: each key once per mapping)");
        assertThat(problems("services:\n  web:\n    instances:\n      - {address: 'a:1'}\n      - {address: 'a:2', address: 'a:3'}\n"))
                .containsExactly("services.web.instances[1].address: duplicate key at line 5 (expected: each key once per mapping)");
    }

    @Test
    void secondDocumentIsRefused() {
        assertThat(problems("listen: {port: 1}\n---\nlisten: {port: 2}\n"))
                .containsExactly("(root): a second YAML document at line 3 (expected: one document per file)");
    }

    @Test
    void missingFileAndDirectoryAreReported() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> new ConfigLoader().load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": no such file (expected: a readable YAML file)");
        assertThatThrownBy(() -> new ConfigLoader().load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir + ": a directory (expected: a YAML file)");
    }

    @Test
    void nonUtf8FileIsReported() throws IOException {
        Path latin1 = Files.write(dir.resolve("latin1.yaml"), "listen: {address: caf\u00e9}".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> new ConfigLoader().load(latin1))
                .isInstanceOf(ConfigException.class)
                .hasMessage(latin1 + ": not UTF-8 text (expected: a UTF-8 YAML file)");
    }

    @Test
    void hugeFileIsRefusedBeforeReading() throws IOException {
        Path huge = dir.resolve("huge.yaml");
        byte[] line = "# padding padding padding padding padding padding padding padding padding padding\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (var out = Files.newOutputStream(huge)) {
            for (long written = 0; written <= ConfigLoader.MAX_FILE_BYTES; written += line.length) {
                out.write(line);
            }
        }
        long size = Files.size(huge);

        assertThatThrownBy(() -> new ConfigLoader().load(huge))
                .isInstanceOf(ConfigException.class)
                .hasMessage(huge + ": " + size + " bytes (expected: at most 4194304 bytes)");
    }

    @Test
    void largeFileJustUnderTheLimitLoads() throws Exception {
        Path large = dir.resolve("large.yaml");
        StringBuilder sb = new StringBuilder("listen: {port: 1234}\n");
        String comment = "# padding padding padding padding padding padding padding padding padding padding\n";
        while (sb.length() + comment.length() < ConfigLoader.MAX_FILE_BYTES - 100) {
            sb.append(comment);
        }
        Files.writeString(large, sb);

        assertThat(ConfigLoader.withEnvironment(Map.of()).load(large).listen().port()).isEqualTo(1234);
    }

    @Test
    void tokensNeverAppearInMessages() {
        String secret = "super-secret-token-value";
        List<String> all = new java.util.ArrayList<>();
        all.addAll(problems("admin: {token: short}"));
        all.addAll(problems("admin: {token: [" + secret + "]}"));
        all.addAll(problems("consul: {token: {" + secret + ": 1}}"));
        all.addAll(problems("admin: {port: 1, token: \"" + secret + "\n"));
        all.addAll(problems("admin: {token: " + secret + ", token: " + secret + "}"));

        assertThat(all).hasSize(5).noneMatch(p -> p.contains(secret) || p.contains("short"));
        assertThat(all.get(0)).isEqualTo("admin.token: <redacted, 5 characters> (expected: at least 16 characters, "
                + "here or in SWITCHBOARD_ADMIN_TOKEN)");
    }

    @Test
    void validationRunsAfterBindingAndReportsEveryProblem() {
        assertThat(problems("listen: {port: 70000, io_threads: -1}")).containsExactly(
                "listen.port: 70000 (expected: 0..65535)",
                "listen.io_threads: -1 (expected: 0..256)");
    }
}
