package dev.switchboard.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line through picocli with captured output and an injected environment. Nothing here
 * starts a server: {@code run} is exercised only on paths that stop at configuration.
 */
class CliTest {

    private static final String INVALID = """
            listen: {port: 70000}
            admin: {token: short-secret}
            services:
              web: {strategy: fastest, instances: [{address: nope}]}
            routes:
              - {path: /, service: missing}
            """;

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
        void assertNoStackTrace() {
            assertThat(err).doesNotContain("Exception").doesNotContain("at dev.").doesNotContain("\tat ");
            assertThat(out).doesNotContain("Exception").doesNotContain("at dev.");
        }
    }

    private static Result run(Map<String, String> env, String... args) {
        return run(Main.commandLine(new Main(env::get)), args);
    }

    private static Result run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path write(String name, String yaml) throws Exception {
        return Files.writeString(dir.resolve(name), yaml);
    }

    @Test
    void validateAcceptsAValidFileWithASummary() throws Exception {
        Path file = write("ok.yaml", """
                services:
                  web: {instances: [{address: '10.0.0.1:80'}]}
                routes:
                  - {path: /, service: web}
                  - {path: /api, service: web}
                """);

        Result r = run(Map.of(), "validate", file.toString());

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(file + ": valid (1 service(s), 2 route(s), consul off)" + System.lineSeparator());
        assertThat(r.err()).isEmpty();
    }

    @Test
    void validateTheCompleteExampleWithItsEnvironment() throws Exception {
        Path file = Path.of(CliTest.class.getResource("/config/complete.yaml").toURI());

        Result r = run(Map.of("ADMIN_TOKEN", "0123456789abcdef-admin"), "validate", file.toString());

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains(": valid (2 service(s), 2 route(s), consul on)");
    }

    @Test
    void validateRejectsAnInvalidFileWithEveryProblemAndNoStackTrace() throws Exception {
        Path file = write("bad.yaml", INVALID);

        Result r = run(Map.of(), "validate", file.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).containsExactly(
                file + ": invalid configuration (5 problems)",
                "  listen.port: 70000 (expected: 0..65535)",
                "  admin.token: <redacted, 12 characters> (expected: at least 16 characters, here or in SWITCHBOARD_ADMIN_TOKEN)",
                "  services.web.strategy: \"fastest\" (expected: one of round_robin, weighted_round_robin, random, "
                        + "weighted_random, least_request, peak_ewma, ring_hash, maglev, sticky)",
                "  services.web.instances[0].address: \"nope\" (expected: host:port with port 1..65535, e.g. 10.0.0.5:8080, "
                        + "api.internal:80 or [::1]:8080)",
                "  routes[0].service: \"missing\" (expected: a service declared under services, or consul.enabled: true)");
        assertThat(r.err()).doesNotContain("short-secret");
        r.assertNoStackTrace();
    }

    @Test
    void validateReportsSyntaxErrorsUnknownFieldsAndMissingFilesWithoutStackTraces() throws Exception {
        Result syntax = run(Map.of(), "validate", write("syntax.yaml", "listen: {port: 1\n").toString());
        Result unknown = run(Map.of(), "validate", write("unknown.yaml", "listen: {prot: 1}\n").toString());
        Result missing = run(Map.of(), "validate", dir.resolve("missing.yaml").toString());

        assertThat(syntax.code()).isEqualTo(2);
        assertThat(syntax.err()).contains("  YAML syntax error at line 2, column 1: ");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("  listen.prot: unknown field (expected: one of address, drain_timeout, ");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("missing.yaml: no such file (expected: a readable YAML file)");
        syntax.assertNoStackTrace();
        unknown.assertNoStackTrace();
        missing.assertNoStackTrace();
    }

    @Test
    void validateUsesTheInjectedEnvironmentForSubstitution() throws Exception {
        Path file = write("env.yaml", "listen: {port: ${PORT}}\n");

        assertThat(run(Map.of("PORT", "9000"), "validate", file.toString()).code()).isZero();
        Result unset = run(Map.of(), "validate", file.toString());
        assertThat(unset.code()).isEqualTo(2);
        assertThat(unset.err()).contains("  line 1: ${PORT}: not set (expected: environment variable PORT set, "
                + "or a default written as ${PORT:-default})");
    }

    @Test
    void plainCommandLineGivesTheSameExitCodes() throws Exception {
        Path bad = write("bad.yaml", INVALID);

        Result r = run(new CommandLine(new Main(Map.<String, String>of()::get)), "validate", bad.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("listen.port: 70000 (expected: 0..65535)");
        r.assertNoStackTrace();
        assertThat(run(new CommandLine(new Main()), "validate").code()).isEqualTo(2);
    }

    @Test
    void runWithAnInvalidConfigOptionExitsTwo() throws Exception {
        Path file = write("bad.yaml", INVALID);

        Result r = run(Map.of(), "run", "--config", file.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith(file + ": invalid configuration (5 problems)").contains("  listen.port: 70000");
        r.assertNoStackTrace();
        assertThat(run(Map.of(), "run", "-c", file.toString()).code()).isEqualTo(2);
    }

    @Test
    void runReadsSwitchboardConfigFromTheEnvironment() throws Exception {
        Path file = write("env-bad.yaml", "listen: {port: -5}\n");

        Result r = run(Map.of("SWITCHBOARD_CONFIG", file.toString()), "run");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly(file + ": invalid configuration (1 problem)",
                "  listen.port: -5 (expected: 0..65535)");
    }

    @Test
    void runPrefersTheOptionOverTheEnvironment() throws Exception {
        Path option = write("option.yaml", "listen: {port: -1}\n");
        Path env = write("env.yaml", "listen: {port: -2}\n");

        Result r = run(Map.of("SWITCHBOARD_CONFIG", env.toString()), "run", "--config", option.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("listen.port: -1").doesNotContain("listen.port: -2");
    }

    @Test
    void runWithAMissingConfigFileExitsTwo() {
        Result r = run(Map.of(), "run", "--config", dir.resolve("absent.yaml").toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("absent.yaml: no such file (expected: a readable YAML file)");
        r.assertNoStackTrace();
    }

    @Test
    void runWithAnUnusableSwitchboardConfigPathExitsTwo() {
        Result r = run(Map.of("SWITCHBOARD_CONFIG", "bad\0path"), "run");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("SWITCHBOARD_CONFIG: ").contains("(expected: a file path)");
        r.assertNoStackTrace();
    }

    @Test
    void versionPrintsTheProductAndJava() {
        Result r = run(Map.of(), "--version");

        assertThat(r.code()).isZero();
        assertThat(r.out().lines().toList()).hasSize(2);
        assertThat(r.out()).startsWith("switchboard ").contains("java " + System.getProperty("java.version"));
    }

    @Test
    void helpListsTheCommands() {
        Result r = run(Map.of(), "--help");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: switchboard", "run", "validate", "demo", "warmup", "--version", "--help");
        Result runHelp = run(Map.of(), "run", "--help");
        assertThat(runHelp.code()).isZero();
        assertThat(runHelp.out()).contains("Usage: switchboard run", "--config=FILE", "SWITCHBOARD_CONFIG");
        Result validateHelp = run(Map.of(), "help", "validate");
        assertThat(validateHelp.code()).isZero();
        assertThat(validateHelp.out()).contains("Usage: switchboard validate", "FILE");
    }

    @Test
    void usageErrorsExitTwo() {
        Result none = run(Map.of());
        Result missingFile = run(Map.of(), "validate");
        Result unknownOption = run(Map.of(), "run", "--nope");
        Result unknownCommand = run(Map.of(), "serve");

        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("Missing command.", "Usage: switchboard");
        assertThat(missingFile.code()).isEqualTo(2);
        assertThat(missingFile.err()).contains("Missing required parameter: 'FILE'", "Usage: switchboard validate");
        assertThat(unknownOption.code()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown option: '--nope'");
        assertThat(unknownCommand.code()).isEqualTo(2);
        assertThat(unknownCommand.err()).contains("serve");
    }

    @Test
    void unexpectedFailureIsOneLineAndExitsOne() {
        Function<String, String> broken = name -> {
            throw new IllegalStateException("environment unavailable");
        };
        CommandLine cl = Main.commandLine(new Main(broken));

        Result r = run(cl, "run");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().lines()).containsExactly(
                "switchboard run failed: java.lang.IllegalStateException: environment unavailable");
    }

    @Test
    void warmupRoutesRequestsThroughAnInProcessRouterAndExitsZero() {
        Result r = run(Map.of(), "warmup", "--requests", "40");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("warmup: 40 request(s) routed and 7 admin page(s) read; exiting");
        r.assertNoStackTrace();
    }

    @Test
    void warmupRefusesANonsenseRequestCount() {
        Result r = run(Map.of(), "warmup", "--requests", "0");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("--requests: 0 (expected: 1 to 1000000)");
    }

    @Test
    void demoConfigurationIsValid() throws Exception {
        CommandLine cl = Main.commandLine(new Main(Map.<String, String>of()::get));
        cl.parseArgs("demo", "--port", "18080", "--admin-port", "18081", "--backend-port", "19001");
        DemoCommand demo = cl.getSubcommands().get("demo").getCommand();

        SwitchboardConfig config = ConfigLoader.withEnvironment(Map.of()).parse(demo.demoConfig());

        assertThat(config.listen().port()).isEqualTo(18080);
        assertThat(config.admin().port()).isEqualTo(18081);
        assertThat(config.services().get("demo").instances()).extracting(i -> i.address())
                .containsExactly("127.0.0.1:19001", "127.0.0.1:19002", "127.0.0.1:19003");
        assertThat(config.routes()).extracting(route -> route.name()).containsExactly("api", "root");
    }
}
