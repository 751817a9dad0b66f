package dev.switchboard.router.table;

import static dev.switchboard.router.table.Routes.consul;
import static dev.switchboard.router.table.Routes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.router.config.RewriteConfig;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.TimeoutsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableBuilderTest {

    private static RouteConfig config(String name, String host, String path, List<String> methods,
                                      Map<String, String> headers, String service, RewriteConfig rewrite,
                                      TimeoutsConfig timeouts, Integer maxInFlight, String source) {
        return new RouteConfig(name, host, path, methods, headers, service, rewrite, timeouts, null, null,
                maxInFlight, source);
    }

    private static RouteConfig withRewrite(RewriteConfig rw) {
        return config("r", null, "/api", null, null, "svc", rw, null, null, null);
    }

    private static List<String> errors(RouteConfig... routes) {
        return RouteTableBuilder.validate(List.of(routes));
    }

    @Test
    void pathMustStartWithSlashAndNamesItsPosition() {
        assertThat(errors(RouteConfig.of("/a", "a"), RouteConfig.of("/b", "b"), RouteConfig.of("api", "c")))
                .containsExactly("routes[2].path: \"api\" (expected: starts with /)");
    }

    @Test
    void pathMustBeNormalized() {
        assertThat(errors(RouteConfig.of("/a/../b", "a"))).containsExactly(
                "routes[0].path: \"/a/../b\" (expected: a normalized path; path contains a . or .. segment)");
        assertThat(errors(RouteConfig.of("/a//b", "a"))).containsExactly(
                "routes[0].path: \"/a//b\" (expected: the normalized form \"/a/b\")");
        assertThat(errors(RouteConfig.of("/a%2fb", "a"))).containsExactly(
                "routes[0].path: \"/a%2fb\" (expected: a normalized path; path contains an encoded slash (%2F))");
        assertThat(errors(RouteConfig.of("/a?b", "a"))).containsExactly(
                "routes[0].path: \"/a?b\" (expected: a normalized path; path contains ?)");
    }

    @Test
    void hostSyntax() {
        String expected = " (expected: a host name without port, [IPv6], *.domain, or empty for any host)";
        for (String bad : List.of("a.*.com", "*example.com", "**.example.com", "*.", "*.*.com", "example.com:8080",
                "exa mple.com", "a..b", "[::1", "[xyz]", "example.com/")) {
            assertThat(errors(route("r", bad, "/", "a"))).as(bad)
                    .containsExactly("routes[0].host: " + RouteValidator.quote(bad) + expected);
        }
        for (String good : List.of("example.com", "*.example.com", "*", "", "[::1]", "10.0.0.1", "My-Host_1.local")) {
            assertThat(errors(route("r", good, "/", "a"))).as(good).isEmpty();
        }
    }

    @Test
    void unknownMethod() {
        assertThat(errors(config("r", null, "/", List.of("get", "FETCH"), null, "a", null, null, null, null)))
                .containsExactly("routes[0].methods[1]: \"FETCH\" (expected: one of CONNECT, DELETE, GET, HEAD,"
                        + " OPTIONS, PATCH, POST, PUT, TRACE)");
    }

    @Test
    void headerNamesMustBeTokensAndUniqueIgnoringCase() {
        assertThat(errors(config("r", null, "/", null, Map.of("X Bad", "1"), "a", null, null, null, null)))
                .containsExactly("routes[0].headers: \"X Bad\" (expected: a header name (letters, digits and"
                        + " !#$%&'*+-.^_`|~))");
        assertThat(errors(config("r", null, "/", null, Map.of("X-A", "1", "x-a", "2"), "a", null, null, null, null)))
                .containsExactly("routes[0].headers.x-a: \"2\" (expected: each header once, names ignoring case)");
    }

    @Test
    void serviceMustBeGiven() {
        assertThat(errors(RouteConfig.of("/", ""))).containsExactly(
                "routes[0].service: \"\" (expected: a non-empty service name of ASCII letters, digits and !#$%&'*+-.^_`|~)");
        assertThat(errors(RouteConfig.of("/", null))).containsExactly(
                "routes[0].service: null (expected: a non-empty service name of ASCII letters, digits and !#$%&'*+-.^_`|~)");
        assertThat(errors(RouteConfig.of("/", "my service"))).containsExactly(
                "routes[0].service: \"my service\" (expected: a non-empty service name of ASCII letters, digits and !#$%&'*+-.^_`|~)");
    }

    @Test
    void rewriteHasAtMostOneForm() {
        assertThat(errors(withRewrite(new RewriteConfig(true, null, "^(.*)$", "$1")))).containsExactly(
                "routes[0].rewrite: \"strip_prefix, regex\" (expected: at most one of strip_prefix, replace_prefix, regex)");
        assertThat(errors(withRewrite(new RewriteConfig(true, "/v2", null, null)))).containsExactly(
                "routes[0].rewrite: \"strip_prefix, replace_prefix\" (expected: at most one of strip_prefix,"
                        + " replace_prefix, regex)");
        assertThat(errors(withRewrite(new RewriteConfig(false, null, null, "/x")))).containsExactly(
                "routes[0].rewrite.replacement: \"/x\" (expected: only together with rewrite.regex)");
    }

    @Test
    void replacePrefixMustBeANormalizedPath() {
        assertThat(errors(withRewrite(new RewriteConfig(false, "v2", null, null)))).containsExactly(
                "routes[0].rewrite.replace_prefix: \"v2\" (expected: starts with /)");
        assertThat(errors(withRewrite(new RewriteConfig(false, "/v2/../..", null, null)))).containsExactly(
                "routes[0].rewrite.replace_prefix: \"/v2/../..\" (expected: a normalized path; path contains"
                        + " a . or .. segment)");
    }

    @Test
    void regexMustCompileAndItsReplacementReferOnlyToExistingGroups() {
        assertThat(errors(withRewrite(new RewriteConfig(false, null, "^/api/(", "/$1")))).containsExactly(
                "routes[0].rewrite.regex: \"^/api/(\" (expected: a Java regular expression; Unclosed group at index 7)");
        assertThat(errors(withRewrite(new RewriteConfig(false, null, "^/api/(.*)$", "/$2")))).containsExactly(
                "routes[0].rewrite.replacement: \"/$2\" (expected: references to groups of rewrite.regex only;"
                        + " No group 2)");
        assertThat(errors(withRewrite(new RewriteConfig(false, null, "^/api/(.*)$", "/${rest}")))).singleElement()
                .asString().startsWith("routes[0].rewrite.replacement: \"/${rest}\" (expected: references to groups"
                        + " of rewrite.regex only; No group with name {rest}");
        assertThat(errors(withRewrite(new RewriteConfig(false, null, "^/api/(.*)$", null)))).containsExactly(
                "routes[0].rewrite.replacement: null (expected: a replacement for rewrite.regex, $1-style"
                        + " references allowed)");
        assertThat(errors(withRewrite(new RewriteConfig(false, null, "^/api/(?<rest>.*)$", "/${rest}/$1/$0"))))
                .isEmpty();
        assertThat(errors(withRewrite(new RewriteConfig(false, null, "^/api/(.*)$", "/\\$2")))).isEmpty();
    }

    @Test
    void timeoutsMaxInFlightNameAndSource() {
        TimeoutsConfig bad = new TimeoutsConfig(Duration.ofSeconds(-1), Duration.ZERO, Duration.ofMillis(1500));
        assertThat(errors(config("r", null, "/", null, null, "a", null, bad, -1, "config"))).containsExactly(
                "routes[0].timeouts.connect: -1s (expected: > 0)",
                "routes[0].timeouts.response: 0s (expected: > 0)",
                "routes[0].max_in_flight: -1 (expected: >= 0, 0 for unlimited)");
        assertThat(errors(config(" ", null, "/", null, null, "a", null, null, null, "config"))).containsExactly(
                "routes[0].name: \" \" (expected: a non-empty name)");
        assertThatThrownBy(() -> RouteTableBuilder.build(List.of(RouteDefinition.of(
                config("r", null, "/", null, null, "a", null, null, null, "file")))))
                .isInstanceOfSatisfying(RouteTableException.class, e -> assertThat(e.errors()).containsExactly(
                        "file route \"r\".source: \"file\" (expected: config, api or consul)"));
    }

    @Test
    void everyProblemIsReportedAtOnceAndNonConfigRoutesAreLabelledBySourceAndName() {
        List<RouteDefinition> defs = new ArrayList<>();
        defs.add(RouteDefinition.of(route("api-1", null, "nope", List.of(), Map.of(), "a", "api")));
        defs.add(RouteDefinition.of(RouteConfig.of("/ok", "a")));
        defs.add(RouteDefinition.of(RouteConfig.of("/ok2", "")));
        assertThatThrownBy(() -> RouteTableBuilder.build(defs))
                .isInstanceOfSatisfying(RouteTableException.class, e -> {
                    assertThat(e.errors()).containsExactly(
                            "api route \"api-1\".path: \"nope\" (expected: starts with /)",
                            "routes[1].service: \"\" (expected: a non-empty service name of ASCII letters, digits and !#$%&'*+-.^_`|~)");
                    assertThat(e.getMessage()).startsWith("2 invalid route definition(s):\n  api route");
                });
    }

    @Test
    void duplicateMatchKeysWithinConfigAreAnError() {
        assertThat(errors(
                route("one", null, "/api", List.of("GET"), Map.of("X-A", "1"), "a", "config"),
                route("other", null, "/x", null, null, "b", "config"),
                route("two", null, "/api", List.of("get"), Map.of("x-a", "1"), "c", "config")))
                .containsExactly("routes[2]: host=* path=/api methods=GET headers=x-a=1 (expected: one route per"
                        + " host, path, methods and headers; routes[0] has the same)");
    }

    @Test
    void routeNamesMustBeUniqueAndConsulRoutesAreRenamedInstead() throws Exception {
        assertThat(errors(
                route(null, null, "/api", List.of("GET"), null, "a", "config"),
                route(null, null, "/api", List.of("POST"), null, "b", "config")))
                .containsExactly("routes[1].name: \"/api\" (expected: a unique route name; routes[0] has it)");

        RouteTable t = RouteTableBuilder.build(List.of(
                RouteDefinition.of(route(null, null, "/api", List.of("GET"), null, "a", "config")),
                consul(null, "/api", "b", 0, "n1/b")));
        assertThat(t.routes()).extracting(Route::name).containsExactly("/api", "/api@consul");
        assertThat(t.match("h", "POST", "/api", null).name()).isEqualTo("/api@consul");
        assertThat(t.warnings()).containsExactly(
                "consul route \"/api\" renamed to \"/api@consul\": another route has that name");
    }

    @Test
    void shareMustBeANumberNotAbove100() {
        assertThatThrownBy(() -> RouteTableBuilder.build(List.of(consul(null, "/", "a", Double.NaN, "n/a"))))
                .isInstanceOfSatisfying(RouteTableException.class, e -> assertThat(e.errors()).containsExactly(
                        "consul route \"/\".weight: NaN (expected: a share <= 100.0, or <= 0 for none)"));
    }

    @Test
    void configBeatsApiBeatsConsulOnTheSameMatchKey() throws Exception {
        RouteTable t = RouteTableBuilder.build(List.of(
                consul(null, "/api", "from-consul", 0, "n1/a"),
                RouteDefinition.of(route("api-route", null, "/api", null, null, "from-api", "api")),
                RouteDefinition.of(route("cfg", null, "/api", null, null, "from-config", "config")),
                consul(null, "/only-consul", "c", 0, "n1/c"),
                RouteDefinition.of(route("api-only", null, "/only-api", null, null, "from-api", "api")),
                consul(null, "/only-api", "c", 0, "n1/c")));
        assertThat(t.match("h", "GET", "/api", null).targets()).extracting(RouteTarget::service)
                .containsExactly("from-config");
        assertThat(t.match("h", "GET", "/only-api", null).source()).isEqualTo("api");
        assertThat(t.match("h", "GET", "/only-consul", null).source()).isEqualTo("consul");
        assertThat(t.warnings()).containsExactly(
                "consul route \"/api\" (service from-consul) on host=* path=/api is shadowed by routes[0]",
                "api route \"api-route\" (service from-api) on host=* path=/api is shadowed by routes[0]",
                "consul route \"/only-api\" (service c) on host=* path=/only-api is shadowed by api route \"api-only\"");
    }

    @Test
    void consulRoutesOfOneServiceMergeIntoOneTargetWithTheUnionOfInstances() throws Exception {
        RouteTable t = RouteTableBuilder.build(List.of(
                consul("example.com", "/api", "web", 0, "n1/web-1"),
                consul("example.com", "/api", "web", 0, "n2/web-2", "n3/web-3"),
                consul("example.com", "/api", "web", 0, "n1/web-1")));
        assertThat(t.routes()).singleElement().satisfies(r -> {
            assertThat(r.targets()).containsExactly(new RouteTarget("web", Routes.ids("n1/web-1", "n2/web-2", "n3/web-3"), 1));
            assertThat(r.describe()).isEqualTo(
                    "route example.com/api host=example.com path=/api -> web[n1/web-1,n2/web-2,n3/web-3] source=consul");
        });
        assertThat(t.warnings()).isEmpty();
    }

    @Test
    void consulRouteForAllInstancesAbsorbsInstanceSubsets() throws Exception {
        RouteTable t = RouteTableBuilder.build(List.of(
                consul(null, "/api", "web", 0, "n1/web-1"),
                consul(null, "/api", "web", 0)));
        assertThat(t.routes().get(0).targets()).containsExactly(new RouteTarget("web", Set.of(), 1));
    }

    @Test
    void servicesSharingAConsulRouteSplitTrafficByShare() throws Exception {
        RouteTable t = RouteTableBuilder.build(List.of(
                consul(null, "/shop", "shop", 0, "n1/shop-1", "n2/shop-2"),
                consul(null, "/shop", "shop-canary", 0.05, "n3/canary-1"),
                consul(null, "/even", "a", 0, "n1/a"),
                consul(null, "/even", "b", 0, "n1/b"),
                consul(null, "/full", "x", 0.6, "n1/x"),
                consul(null, "/full", "y", 0.6, "n1/y"),
                consul(null, "/full", "z", 0, "n1/z")));
        assertThat(t.match("h", "GET", "/shop", null).targets()).extracting(RouteTarget::service, RouteTarget::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("shop", 9500),
                        org.assertj.core.groups.Tuple.tuple("shop-canary", 500));
        assertThat(t.match("h", "GET", "/even", null).targets()).extracting(RouteTarget::weight).containsExactly(1, 1);
        assertThat(t.match("h", "GET", "/full", null).targets()).extracting(RouteTarget::weight)
                .containsExactly(6000, 6000, 0);
    }

    @Test
    void conflictingConsulVariantsAreSettledByTheMajorityOfInstances() throws Exception {
        RouteConfig plain = new RouteConfig(null, null, "/api", null, null, "web", null, null, null, null, null, "consul");
        RouteConfig stripped = new RouteConfig(null, null, "/api", null, null, "web",
                new RewriteConfig(true, null, null, null), null, null, null, null, "consul");
        RouteTable t = RouteTableBuilder.build(List.of(
                new RouteDefinition(plain, Routes.ids("n1/old-1", "n2/old-2"), 0),
                new RouteDefinition(stripped, Routes.ids("n3/new-1"), 0),
                consul(null, "/w", "web", 0.2, "n1/a", "n2/b"),
                consul(null, "/w", "web", 0.5, "n3/c")));
        Route api = t.match("h", "GET", "/api/x", null);
        assertThat(api.targets()).containsExactly(new RouteTarget("web", Routes.ids("n1/old-1", "n2/old-2"), 1));
        assertThat(api.rewriter().kind()).isEqualTo(PathRewriter.Kind.NONE);
        Route w = t.match("h", "GET", "/w", null);
        assertThat(w.targets()).containsExactly(new RouteTarget("web", Routes.ids("n1/a", "n2/b", "n3/c"), 2000));
        assertThat(t.warnings()).containsExactly(
                "consul route \"/api\" of service web on 1 instance(s) [n3/new-1] ignored: its rewrite=strip"
                        + " conflicts with rewrite=none declared by more instances on host=* path=/api",
                "consul service web on host=* path=/w: instances disagree on weight [0.2, 0.5]; using 0.2");
    }

    @Test
    void weightsInBasisPoints() {
        assertThat(ConsulMerge.weights(new double[] {0, 0, 0})).containsExactly(1, 1, 1);
        assertThat(ConsulMerge.weights(new double[] {0.1, 0, 0})).containsExactly(1000, 4500, 4500);
        assertThat(ConsulMerge.weights(new double[] {0.00001, 0})).containsExactly(1, 9999);
        assertThat(ConsulMerge.weights(new double[] {2, 0.5})).containsExactly(20000, 5000);
        assertThat(ConsulMerge.weights(new double[] {1, 0})).containsExactly(10000, 0);
    }
}
