package dev.switchboard.router.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.discovery.consul.ConsulSettings;
import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The KV overlay and what happens to the running router for each KV value, driven directly through
 * the watch callback (the watch against a real agent is in the integration tests).
 */
class ConsulConfigSourceTest {

    /** Static backends on unused loopback ports: only the route table matters here. */
    private static final String FILE = """
            # the file's comment
            listen: {address: 127.0.0.1, port: 0}
            admin: {enabled: false}
            services:
              web:
                instances: [{address: "127.0.0.1:9"}]
              api:
                instances: [{address: "127.0.0.1:9"}]
            routes:
              - {path: /web, service: web}
            """;

    private final ConfigLoader loader = ConfigLoader.withEnvironment(Map.of("REGION", "eu"));
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Switchboard router;
    private ConsulConfigSource source;

    @BeforeEach
    void start() throws Exception {
        router = Switchboard.start(loader.parse(FILE), null);
        // never started: values are fed through onValue; the address is never contacted
        source = new ConsulConfigSource(router, FILE, loader, ConsulSettings.builder().address("127.0.0.1:1").build(),
                "switchboard/config");
        logs.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ConsulConfigSource.class)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ConsulConfigSource.class)).detachAppender(logs);
        source.close();
        router.close();
    }

    @Test
    void aKvSectionReplacesTheFilesSectionAndTheOthersStay() {
        source.onValue("routes:\n  - {path: /api, service: api}\n  - {path: /web2, service: web}\n");

        assertThat(paths()).containsExactlyInAnyOrder("/api", "/web2");
        assertThat(router.config().services()).containsOnlyKeys("web", "api"); // from the file
        assertThat(source.appliedFromKv()).isTrue();
        assertThat(source.lastError()).isNull();
        assertThat(lines(Level.INFO)).containsExactly("consul kv switchboard/config: applied (sections: routes)");
    }

    @Test
    void anInvalidValueIsRejectedWithOneErrorAndTheLastGoodConfigStays() {
        source.onValue("routes:\n  - {path: /api, service: api}\n");
        SwitchboardConfig good = router.config();

        source.onValue("routes:\n  - {path: /x, service: nowhere}\n");

        assertThat(router.config()).isSameAs(good);
        assertThat(paths()).containsExactly("/api");
        assertThat(source.lastError()).contains("nowhere");
        assertThat(lines(Level.ERROR)).hasSize(1).first().asString()
                .startsWith("consul kv switchboard/config: config rejected, keeping the last good one: ")
                .contains("nowhere");
    }

    @Test
    void kvOutcomesAreCountedAndShownWithTheFilesReloads() {
        ConfigReloader reloader = new ConfigReloader(router, loader, java.time.Clock.systemUTC(), java.time.Duration.ofMillis(100));
        source.reportTo(reloader);

        source.onValue("routes:\n  - {path: /x, service: nowhere}\n");
        assertThat(reloader.status().failures()).isEqualTo(1);
        assertThat(reloader.status().lastError()).startsWith("switchboard/config: ").contains("nowhere");

        source.onValue("routes:\n  - {path: /api, service: api}\n");
        assertThat(reloader.status().lastError()).isNull();
        assertThat(reloader.status().successes()).isEqualTo(1);
    }

    @Test
    void aKvOutcomeIsRecordedWhileAFileReloadHoldsTheReloader() throws Exception {
        // A file reload holds the reloader while it calls into the KV source; the KV watch records
        // its outcome holding the source: recording must not need the reloader's lock (deadlock).
        ConfigReloader reloader = new ConfigReloader(router, loader, java.time.Clock.systemUTC(), java.time.Duration.ofMillis(100));
        Thread kv = new Thread(() -> reloader.record(null));
        synchronized (reloader) {
            kv.start();
            kv.join(5_000);
            assertThat(kv.isAlive()).as("record() waited for the reloader's lock").isFalse();
        }
    }

    @Test
    void aGoodKvValueDoesNotHideAFailedFileReload() {
        ConfigReloader reloader = new ConfigReloader(router, loader, java.time.Clock.systemUTC(), java.time.Duration.ofMillis(100));
        reloader.reload("test"); // fails: this router runs without a config file
        String fileError = reloader.status().lastError();
        assertThat(fileError).contains("no config file");
        reloader.record(null);
        assertThat(reloader.status().lastError()).isEqualTo(fileError);
    }

    @Test
    void badYamlAndNonMappingsAreRejectedWithoutTouchingTheRouter() {
        SwitchboardConfig before = router.config();

        source.onValue("routes: [unclosed\n");
        source.onValue("- a list\n");
        source.onValue("{routes: []}");
        source.onValue("unknown_section: 1\n");

        assertThat(router.config()).isSameAs(before);
        assertThat(lines(Level.ERROR)).hasSize(4);
        assertThat(lines(Level.ERROR).get(1)).contains("(root): consul kv holds a list (expected: a YAML mapping");
        assertThat(lines(Level.ERROR).get(2)).contains("a flow mapping (expected: a block mapping");
        assertThat(lines(Level.ERROR).get(3)).contains("unknown_section");
    }

    @Test
    void aDeletedKeyGoesBackToTheFilesConfig() {
        source.onValue("routes:\n  - {path: /api, service: api}\n");
        assertThat(paths()).containsExactly("/api");

        source.onValue(null);

        assertThat(paths()).containsExactly("/web");
        assertThat(source.appliedFromKv()).isFalse();
        assertThat(lines(Level.INFO)).last().asString().contains("deleted or empty; back to the file's config");
    }

    @Test
    void anAbsentKeyAtStartChangesNothing() {
        SwitchboardConfig before = router.config();

        source.onValue(null);
        source.onValue("   \n");

        assertThat(router.config()).isSameAs(before);
        assertThat(logs.list).isEmpty();
    }

    @Test
    void listenAdminAndConsulChangesSayThatTheyNeedARestart() {
        source.onValue("listen: {address: 127.0.0.1, port: 0, idle_timeout: 5s}\n");

        assertThat(router.config().listen().idleTimeout()).hasSeconds(5); // recorded, not live
        assertThat(lines(Level.WARN)).containsExactly("consul kv switchboard/config: section(s) listen differ from the"
                + " running config and take effect only after a restart");
    }

    @Test
    void environmentVariablesInTheKvDocumentAreSubstitutedLikeInTheFile() {
        source.onValue("routes:\n  - {path: /${REGION}, service: api}\n  - {path: /${ZONE:-z1}, service: web}\n");

        assertThat(paths()).containsExactlyInAnyOrder("/eu", "/z1");
    }

    @Test
    void aChangedFileIsReappliedUnderTheCurrentOverlay() throws Exception {
        source.onValue("routes:\n  - {path: /api, service: api}\n");

        source.baseChanged(FILE.replace("api:\n    instances", "api:\n    strategy: random\n    instances"));

        assertThat(router.config().services().get("api").strategy()).isEqualTo("random");
        assertThat(paths()).containsExactly("/api");
    }

    @Test
    void overlayKeepsTheFilesOtherSectionsVerbatimAndDropsItsReplacedOnes() throws ConfigException {
        String merged = ConsulConfigSource.overlay(FILE, "# kv comment\nroutes: []\nupstream:\n  preserve_host: true\n");

        assertThat(merged).doesNotContain("/web").doesNotContain("file's comment").doesNotContain("kv comment")
                .contains("services:\n  web:\n    instances: [{address: \"127.0.0.1:9\"}]")
                .endsWith("routes: []\nupstream:\n  preserve_host: true\n\n");
        assertThat(ConsulConfigSource.split(merged, "merged")).containsOnlyKeys("listen", "admin", "services",
                "routes", "upstream");
    }

    @Test
    void aRepeatedTopLevelKeyInKvIsReportedByTheLoader() {
        assertThatThrownBy(() -> source.combine(FILE, "routes: []\nroutes: []\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes");
    }

    private List<String> paths() {
        return router.routingState().table().routes().stream().map(r -> r.pathPrefix()).toList();
    }

    private List<String> lines(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
