package dev.switchboard.router.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.InstanceHealth;
import dev.switchboard.discovery.InstanceId;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.discovery.ServiceSnapshot;
import dev.switchboard.router.config.ServiceConfig;
import dev.switchboard.router.config.TimeoutsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConsulRoutesTest {

    private final ConsulRoutes consulRoutes = new ConsulRoutes();

    private static ServiceInstance instance(String service, String node, String id, Map<String, String> meta,
                                            String... tags) {
        return new ServiceInstance(new InstanceId(node, id), service, "10.0.0." + (Math.abs(id.hashCode()) % 250 + 1),
                8080, 1, InstanceHealth.PASSING, Arrays.asList(tags), new TreeMap<>(meta));
    }

    private static ServiceInstance tagged(String service, String node, String id, String... tags) {
        return instance(service, node, id, Map.of(), tags);
    }

    private static CatalogSnapshot catalog(ServiceInstance... instances) {
        Map<String, List<ServiceInstance>> byService = new HashMap<>();
        for (ServiceInstance i : instances) {
            byService.computeIfAbsent(i.service(), k -> new ArrayList<>()).add(i);
        }
        List<ServiceSnapshot> services = new ArrayList<>();
        byService.forEach((name, list) -> services.add(ServiceSnapshot.of(name, list)));
        return CatalogSnapshot.of(services);
    }

    private ConsulRoutes.Result one(String tag) {
        return consulRoutes.routes(catalog(tagged("web", "n1", "web-1", tag)));
    }

    /** The path a request would be forwarded with, through the built table; null if no route. */
    private String forward(String tag, String requestPath) throws Exception {
        ConsulRoutes.Result result = one(tag);
        assertThat(result.problems()).isEmpty();
        RouteTable t = RouteTableBuilder.build(result.routes());
        Route r = t.match("h", "GET", RequestPath.parse(requestPath).path(), null);
        return r == null ? null : r.rewrite(RequestPath.parse(requestPath).path()).path();
    }

    private static String problemOf(ConsulRoutes.Result r) {
        assertThat(r.routes()).isEmpty();
        assertThat(r.problems()).hasSize(1);
        return r.problems().get(0).reason();
    }

    @Test
    void pathTagBecomesARouteForTheDeclaringInstance() throws Exception {
        ConsulRoutes.Result r = one("urlprefix-/api");
        assertThat(r.problems()).isEmpty();
        assertThat(r.routes()).singleElement().satisfies(d -> {
            assertThat(d.config().host()).isNull();
            assertThat(d.config().path()).isEqualTo("/api");
            assertThat(d.config().service()).isEqualTo("web");
            assertThat(d.config().source()).isEqualTo("consul");
            assertThat(d.instances()).containsExactly(new InstanceId("n1", "web-1"));
            assertThat(d.share()).isZero();
        });
        assertThat(RouteTableBuilder.build(r.routes()).describe())
                .isEqualTo("route /api host=* path=/api -> web[n1/web-1] source=consul\n");
    }

    @Test
    void hostTagsAreLowerCasedAndMayBeWildcards() throws Exception {
        assertThat(one("urlprefix-Example.COM/api").routes().get(0).config().host()).isEqualTo("example.com");
        assertThat(one("urlprefix-*.example.com/").routes().get(0).config().host()).isEqualTo("*.example.com");
        assertThat(one("  urlprefix-/spaced  ").routes().get(0).config().path()).isEqualTo("/spaced");
        assertThat(RouteTableBuilder.build(one("urlprefix-*.example.com/").routes())
                .match("a.example.com", "GET", "/x", null)).isNotNull();
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "urlprefix-/foo strip=/foo|/foo/x|/x",
            "urlprefix-/foo strip=/foo|/foo|/",
            "urlprefix-/foo/ strip=/foo|/foo/x|/x",
            "urlprefix-/foo/bar strip=/foo|/foo/bar/x|/bar/x",
            "urlprefix-/foo/bar strip=/foo/|/foo/bar|/bar",
            "urlprefix-/bar prepend=/foo|/bar/x|/foo/bar/x",
            "urlprefix-/bar prepend=/foo/|/bar|/foo/bar",
            "urlprefix-/ prepend=/app|/x/y|/app/x/y",
            "urlprefix-/ prepend=/app|/|/app/",
            "urlprefix-/foo strip=/foo prepend=/baz|/foo/x|/baz/x",
            "urlprefix-/foo prepend=/baz strip=/foo|/foo|/baz",
            "urlprefix-/foo/bar strip=/foo prepend=/baz|/foo/bar/x|/baz/bar/x",
            "urlprefix-/foo strip=/|/foo/x|/foo/x",
            "urlprefix-/foo proto=http tlsskipverify=false|/foo/x|/foo/x",
    })
    void stripAndPrependComposeAsInFabio(String tag, String request, String forwarded) throws Exception {
        assertThat(forward(tag, request)).isEqualTo(forwarded);
    }

    @Test
    void hostDstTurnsOffPreserveHost() {
        assertThat(one("urlprefix-/a host=dst").routes().get(0).config().preserveHost()).isFalse();
        assertThat(one("urlprefix-/a").routes().get(0).config().preserveHost()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "urlprefix-/a proto=https|proto=https is not supported",
            "urlprefix-/a proto=grpc|proto=grpc is not supported",
            "urlprefix-:3306 proto=tcp|TCP route \":3306\" is not supported",
            "urlprefix-/a proto=https tlsskipverify=true|proto=https is not supported",
            "urlprefix-/a tlsskipverify=true|tlsskipverify=true is not supported",
            "urlprefix-/a host=backend.internal|host=backend.internal is not supported",
            "urlprefix-/a auth=basic|access control auth= is not supported",
            "urlprefix-/a allow=ip:10.0.0.0/8|access control allow= is not supported",
            "urlprefix-/a deny=ip:10.0.0.0/8|access control deny= is not supported",
            "urlprefix-/a redirect=301,https://example.com$path|redirect= is not supported",
            "urlprefix-/a pxyproto=true|pxyproto= is not supported",
            "urlprefix-/a foo=bar|unknown option \"foo=\"",
            "urlprefix-/a b c|option \"b\" is not supported (expected: key=value)",
            "urlprefix-/a strip=/a strip=/a|option strip= given twice",
            "urlprefix-/foo strip=/bar|strip=/bar (expected: a prefix of the route path /foo ending at a segment boundary)",
            "urlprefix-/foo strip=/fo|strip=/fo (expected: a prefix of the route path /foo ending at a segment boundary)",
            "urlprefix-/foo strip=foo|strip: \"foo\" (expected: starts with /)",
            "urlprefix-/foo prepend=/x/../..|prepend: \"/x/../..\" (expected: a normalized path; path contains a . or .. segment)",
            "urlprefix-/a weight=abc|weight=abc (expected: a number",
            "urlprefix-/a weight=1e9|weight=1e9 (expected: a number",
            "urlprefix-/a weight=NaN|weight=NaN (expected: a number",
            "urlprefix-/a weight=101|weight=101 (expected: a number",
            "urlprefix-example.com|route \"example.com\" has no path",
            "urlprefix-|empty route",
            "urlprefix-${HOST}/a|environment expansion in \"${HOST}/a\" is not supported",
            "urlprefix-/a/../b|path: \"/a/../b\" (expected: a normalized path; path contains a . or .. segment)",
            "urlprefix-/a//b|path: \"/a//b\" (expected: the normalized form \"/a/b\")",
            "urlprefix-/a%2fb|path: \"/a%2fb\" (expected: a normalized path; path contains an encoded slash (%2F))",
            "urlprefix-*example.com/|host: \"*example.com\" (expected: a host name without port",
            "urlprefix-example.com:8080/|host: \"example.com:8080\" (expected: a host name without port",
            "urlprefix-a.*.com/|host: \"a.*.com\" (expected: a host name without port",
    })
    void unsupportedOrInvalidTagsAreReportedAndNotRouted(String tag, String reasonPrefix) {
        ConsulRoutes.Result r = one(tag);
        String reason = problemOf(r);
        assertThat(reason).startsWith(reasonPrefix).endsWith("route dropped");
        assertThat(r.problems().get(0).tag()).isEqualTo(tag);
        assertThat(r.problems().get(0).instances()).containsExactly(new InstanceId("n1", "web-1"));
    }

    @Test
    void registerIsIgnoredButReportedAndTheRouteKept() {
        ConsulRoutes.Result r = one("urlprefix-www.example.com/ register=www");
        assertThat(r.routes()).hasSize(1);
        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                .isEqualTo("option register=www ignored: Switchboard does not register host names in Consul;"
                        + " the route is kept"));
    }

    @Test
    void absurdTagsAreReportedNotThrown() {
        assertThat(problemOf(one("urlprefix-/" + "a".repeat(5000)))).startsWith("route longer than 1024 characters");
        assertThat(problemOf(one("urlprefix-/a\u0000b"))).startsWith("path: \"/a\\u0000b\" (expected: a normalized path;"
                + " path contains a control character");
        assertThat(problemOf(one("urlprefix-/caf\u00e9"))).contains("non-ASCII");
        assertThat(one("urlprefix-/a weight=-1").routes().get(0).share()).isZero();
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("switchboard-route", null);
        nullValue.put("switchboard-strategy", null);
        ConsulRoutes.Result r = consulRoutes.routes(catalog(instance("web", "n1", "web-1", nullValue)));
        assertThat(r.routes()).isEmpty();
        assertThat(r.problems()).extracting(ConsulProblem::tag).containsExactly("meta switchboard-strategy=");
    }

    @Test
    void otherTagsAndMetaAreIgnored() {
        ConsulRoutes.Result r = consulRoutes.routes(catalog(instance("web", "n1", "web-1",
                Map.of("version", "1.2", "urlprefix", "x"), "primary", "v1", "urlprefix", "url-prefix-/x")));
        assertThat(r.routes()).isEmpty();
        assertThat(r.problems()).isEmpty();
        assertThat(r.services()).isEmpty();
    }

    @Test
    void rollingDeployMergesIdenticalRoutesAndRestrictsThemToTheDeclaringInstances() throws Exception {
        ConsulRoutes.Result r = consulRoutes.routes(catalog(
                tagged("web", "n1", "web-1", "urlprefix-/api", "urlprefix-/old"),
                tagged("web", "n2", "web-2", "urlprefix-/api", "urlprefix-/new"),
                tagged("web", "n3", "web-3", "urlprefix-/api", "urlprefix-/new"),
                tagged("web", "n4", "web-4")));
        assertThat(r.routes()).extracting(d -> d.config().path() + " " + d.instances()).containsExactly(
                "/api [n1/web-1, n2/web-2, n3/web-3]", "/old [n1/web-1]", "/new [n2/web-2, n3/web-3]");
        RouteTable t = RouteTableBuilder.build(r.routes());
        assertThat(t.match("h", "GET", "/api", null).targets().get(0).includes(new InstanceId("n4", "web-4"))).isFalse();
        assertThat(t.match("h", "GET", "/api", null).targets().get(0).includes(new InstanceId("n2", "web-2"))).isTrue();
    }

    @Test
    void weightSplitsARouteBetweenServices() throws Exception {
        ConsulRoutes.Result r = consulRoutes.routes(catalog(
                tagged("shop", "n1", "shop-1", "urlprefix-/shop"),
                tagged("shop", "n2", "shop-2", "urlprefix-/shop"),
                tagged("shop-v2", "n3", "shop-v2-1", "urlprefix-/shop weight=0.1")));
        assertThat(RouteTableBuilder.build(r.routes()).describe()).isEqualTo(
                "route /shop host=* path=/shop -> shop[n1/shop-1,n2/shop-2] weight=9000 + shop-v2[n3/shop-v2-1]"
                        + " weight=1000 source=consul\n");
    }

    @Test
    void metaRoutesUseTheTagGrammarSeparatedBySemicolons() throws Exception {
        ConsulRoutes.Result r = consulRoutes.routes(catalog(instance("web", "n1", "web-1", Map.of(
                "switchboard-route", "/api strip=/api; admin.example.com/ ;",
                "switchboard-route-extra", "/x prepend=/y",
                "switchboard-route-bad", "/z proto=tcp"))));
        assertThat(RouteTableBuilder.build(r.routes()).describe()).isEqualTo("""
                route admin.example.com/ host=admin.example.com path=/ -> web[n1/web-1] source=consul
                route /api host=* path=/api -> web[n1/web-1] rewrite=strip source=consul
                route /x host=* path=/x -> web[n1/web-1] rewrite=replace:/y/x source=consul
                """);
        assertThat(r.problems()).extracting(ConsulProblem::tag, ConsulProblem::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("meta switchboard-route-bad=/z proto=tcp",
                        "proto=tcp is not supported (only http upstreams); route dropped"));
    }

    @Test
    void serviceSettingsComeFromMetaByMajority() {
        ConsulRoutes.Result r = consulRoutes.routes(catalog(
                instance("api", "n1", "api-1", Map.of("switchboard-strategy", "least_request",
                        "switchboard-hash-key", "header:X-User", "switchboard-timeout-connect", "1500ms")),
                instance("api", "n2", "api-2", Map.of("switchboard-strategy", "least_request",
                        "switchboard-timeout-response", "1m30s", "switchboard-timeout-idle", "2h")),
                instance("api", "n3", "api-3", Map.of("switchboard-strategy", "round_robin",
                        "switchboard-timeout-connect", "1.5s")),
                instance("api", "n4", "api-4", Map.of()),
                instance("plain", "n1", "plain-1", Map.of())));
        assertThat(r.services()).containsOnlyKeys("api");
        ConsulServiceSettings s = r.services().get("api");
        assertThat(s.strategy()).isEqualTo("least_request");
        assertThat(s.hashKey()).isEqualTo(new ServiceConfig.HashKeyConfig("header", "X-User"));
        assertThat(s.timeouts()).isEqualTo(new TimeoutsConfig(Duration.ofMillis(1500), Duration.ofSeconds(90),
                Duration.ofHours(2)));
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.tag()).isEqualTo("meta switchboard-strategy=round_robin");
            assertThat(p.reason()).isEqualTo("instances of api disagree; using least_request carried by 2"
                    + " instance(s) against 1");
            assertThat(p.instances()).containsExactly(new InstanceId("n3", "api-3"));
        });
        ServiceConfig applied = s.applyTo(ServiceConfig.DEFAULT);
        assertThat(applied.strategy()).isEqualTo("least_request");
        assertThat(applied.timeouts().response()).isEqualTo(Duration.ofSeconds(90));
        assertThat(applied.retry()).isEqualTo(ServiceConfig.DEFAULT.retry());
    }

    @Test
    void tiedSettingsGoToTheSmallerValue() {
        ConsulRoutes.Result r = consulRoutes.routes(catalog(
                instance("api", "n1", "api-1", Map.of("switchboard-strategy", "round_robin")),
                instance("api", "n2", "api-2", Map.of("switchboard-strategy", "least_request"))));
        assertThat(r.services().get("api").strategy()).isEqualTo("least_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"switchboard-strategy=Round Robin", "switchboard-hash-key=header:",
            "switchboard-hash-key=ip", "switchboard-timeout-connect=5", "switchboard-timeout-connect=0s",
            "switchboard-timeout-response=25h", "switchboard-timeout-idle=-1s", "switchboard-timeout-idle=1x"})
    void invalidSettingsAreReportedAndIgnored(String keyValue) {
        String key = keyValue.substring(0, keyValue.indexOf('='));
        String value = keyValue.substring(keyValue.indexOf('=') + 1);
        ConsulRoutes.Result r = consulRoutes.routes(catalog(instance("api", "n1", "api-1", Map.of(key, value))));
        assertThat(r.services()).isEmpty();
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.tag()).isEqualTo("meta " + keyValue);
            assertThat(p.reason()).startsWith("invalid value (expected: ").endsWith("); ignored");
        });
    }

    @Test
    void unknownSwitchboardMetaKeysAreReported() {
        ConsulRoutes.Result r = consulRoutes.routes(catalog(instance("api", "n1", "api-1",
                Map.of("switchboard-timout-connect", "1s"))));
        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                .startsWith("unknown Switchboard meta key (expected: switchboard-route[-*], switchboard-strategy"));
    }

    @Test
    void aCustomTagPrefixReplacesUrlprefix() {
        ConsulRoutes.Result r = new ConsulRoutes("route-").routes(catalog(
                tagged("web", "n1", "web-1", "route-/a", "urlprefix-/b")));
        assertThat(r.routes()).extracting(d -> d.config().path()).containsExactly("/a");
    }

    @Test
    void tenThousandInstancesMakeOneDefinitionAndOneProblemPerDistinctTag() throws Exception {
        List<ServiceInstance> instances = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            List<String> tags = new ArrayList<>(List.of("urlprefix-/web strip=/web", "v1", "urlprefix-/static/"));
            if (i % 100 == 0) {
                tags.add("urlprefix-/bad proto=https");
            }
            instances.add(new ServiceInstance(new InstanceId("node-" + (i / 10), "web-" + i), "web", "10.1.0.1",
                    1024 + i, 1, InstanceHealth.PASSING, tags, new TreeMap<>(Map.of("switchboard-strategy", "p2c"))));
        }
        ConsulRoutes.Result r = consulRoutes.routes(CatalogSnapshot.of(List.of(ServiceSnapshot.of("web", instances))));
        assertThat(r.routes()).hasSize(2).allSatisfy(d -> assertThat(d.instances()).hasSize(10_000));
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.instances()).hasSize(100);
            assertThat(p.describe()).startsWith("consul service web \"urlprefix-/bad proto=https\": proto=https is not"
                    + " supported (only http upstreams); route dropped (on 100 instance(s) [node-0/web-0, node-10/web-100,");
        });
        assertThat(r.services().get("web").strategy()).isEqualTo("p2c");
        RouteTable t = RouteTableBuilder.build(r.routes());
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.match("h", "GET", "/web/x", null).targets().get(0).instances()).hasSize(10_000);
    }

    private static ServiceInstance critical(ServiceInstance i) {
        return new ServiceInstance(i.id(), i.service(), i.address(), i.port(), i.weight(), InstanceHealth.CRITICAL, i.tags(),
                new TreeMap<>(i.meta()));
    }

    @Test
    void aRouteOnlyUnroutableInstancesDeclareIsKeptNamingThemSoItAnswers503() {
        ConsulRoutes.Result r = consulRoutes.routes(catalog(
                critical(tagged("api", "n1", "api-1", "urlprefix-/api")), critical(tagged("api", "n1", "api-2", "urlprefix-/api"))));
        assertThat(r.routes()).hasSize(1);
        assertThat(r.routes().get(0).instances()).extracting(InstanceId::serviceId).containsExactly("api-1", "api-2");
    }

    @Test
    void unroutableInstancesTakeNoShareOfASplitAndCastNoVote() {
        ConsulRoutes.Result r = consulRoutes.routes(catalog(
                tagged("api-v1", "n1", "v1-1", "urlprefix-/api"),
                critical(tagged("api-v2", "n1", "v2-1", "urlprefix-/api weight=0.1")),
                // a rolling update: the new instance is up, three old ones in maintenance with another variant
                tagged("web", "n1", "web-new", "urlprefix-/web strip=/web"),
                critical(tagged("web", "n1", "web-old-1", "urlprefix-/web")),
                critical(tagged("web", "n1", "web-old-2", "urlprefix-/web")),
                critical(tagged("web", "n1", "web-old-3", "urlprefix-/web"))));
        assertThat(r.routes()).filteredOn(d -> d.config().path().equals("/api"))
                .singleElement().satisfies(d -> assertThat(d.config().service()).isEqualTo("api-v1"));
        assertThat(r.routes()).filteredOn(d -> d.config().path().equals("/web"))
                .singleElement().satisfies(d -> assertThat(d.instances()).extracting(InstanceId::serviceId).containsExactly("web-new"));
    }
}
