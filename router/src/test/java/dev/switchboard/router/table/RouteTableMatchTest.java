package dev.switchboard.router.table;

import static dev.switchboard.router.table.Routes.headers;
import static dev.switchboard.router.table.Routes.route;
import static dev.switchboard.router.table.Routes.table;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableMatchTest {

    private static String match(RouteTable t, String host, String path) {
        return match(t, host, "GET", path, HeaderLookup.NONE);
    }

    private static String match(RouteTable t, String host, String method, String path, HeaderLookup headers) {
        Route r = t.match(host, method, path, headers);
        return r == null ? null : r.name();
    }

    @Test
    void exactHostBeatsWildcardBeatsAnyHost() throws Exception {
        RouteTable t = table(
                route("any", null, "/", "a"),
                route("wild", "*.example.com", "/", "b"),
                route("exact", "api.example.com", "/", "c"));
        assertThat(match(t, "api.example.com", "/x")).isEqualTo("exact");
        assertThat(match(t, "www.example.com", "/x")).isEqualTo("wild");
        assertThat(match(t, "other.org", "/x")).isEqualTo("any");
    }

    @Test
    void longestWildcardSuffixWinsAndWildcardsMatchAtAnyDepthButNotTheApex() throws Exception {
        RouteTable t = table(
                route("any", null, "/", "a"),
                route("short", "*.example.com", "/", "b"),
                route("long", "*.api.example.com", "/", "c"));
        assertThat(match(t, "v1.api.example.com", "/")).isEqualTo("long");
        assertThat(match(t, "x.v1.api.example.com", "/")).isEqualTo("long");
        assertThat(match(t, "api.example.com", "/")).isEqualTo("short");
        assertThat(match(t, "a.b.example.com", "/")).isEqualTo("short");
        assertThat(match(t, "example.com", "/")).isEqualTo("any");
        assertThat(match(t, "notexample.com", "/")).isEqualTo("any");
        assertThat(match(t, ".example.com", "/")).isEqualTo("any");
    }

    @Test
    void longestPathPrefixWinsOnSegmentBoundaries() throws Exception {
        RouteTable t = table(
                route("root", null, "/", "a"),
                route("api", null, "/api", "b"),
                route("users", null, "/api/users", "c"),
                route("dir", null, "/static/", "d"));
        assertThat(match(t, "h", "/api")).isEqualTo("api");
        assertThat(match(t, "h", "/api/")).isEqualTo("api");
        assertThat(match(t, "h", "/api/x")).isEqualTo("api");
        assertThat(match(t, "h", "/apix")).isEqualTo("root");
        assertThat(match(t, "h", "/api/users")).isEqualTo("users");
        assertThat(match(t, "h", "/api/users/42")).isEqualTo("users");
        assertThat(match(t, "h", "/api/usersx")).isEqualTo("api");
        assertThat(match(t, "h", "/static/")).isEqualTo("dir");
        assertThat(match(t, "h", "/static/app.js")).isEqualTo("dir");
        assertThat(match(t, "h", "/static")).isEqualTo("root");
        assertThat(match(t, "h", "/")).isEqualTo("root");
    }

    @Test
    void noRouteMatchesReturnsNull() throws Exception {
        RouteTable t = table(route("api", "api.example.com", "/api", "b"));
        assertThat(match(t, "api.example.com", "/other")).isNull();
        assertThat(match(t, "other.example.com", "/api")).isNull();
        assertThat(RouteTable.EMPTY.match("h", "GET", "/", HeaderLookup.NONE)).isNull();
    }

    @Test
    void routesWithMoreConditionsAreTriedFirst() throws Exception {
        RouteTable t = table(
                route("plain", null, "/api", null, null, "a", "config"),
                route("canary", null, "/api", null, Map.of("X-Canary", "1"), "b", "config"),
                route("canary-get", null, "/api", List.of("GET"), Map.of("X-Canary", "1"), "c", "config"),
                route("writes", null, "/api", List.of("POST", "PUT"), null, "d", "config"));
        assertThat(match(t, "h", "GET", "/api/x", headers("x-canary", "1"))).isEqualTo("canary-get");
        assertThat(match(t, "h", "POST", "/api/x", headers("X-CANARY", "1"))).isEqualTo("canary");
        assertThat(match(t, "h", "POST", "/api/x", headers())).isEqualTo("writes");
        assertThat(match(t, "h", "PUT", "/api/x", null)).isEqualTo("writes");
        assertThat(match(t, "h", "GET", "/api/x", headers("X-Canary", "2"))).isEqualTo("plain");
        assertThat(match(t, "h", "DELETE", "/api/x", headers())).isEqualTo("plain");
        assertThat(match(t, "h", "post", "/api/x", headers())).as("methods are case-sensitive").isEqualTo("plain");
    }

    @Test
    void unmatchedConditionsFallBackToShorterPrefixes() throws Exception {
        RouteTable t = table(
                route("root", null, "/", null, null, "a", "config"),
                route("admin-posts", null, "/admin", List.of("POST"), null, "b", "config"));
        assertThat(match(t, "h", "POST", "/admin/x", headers())).isEqualTo("admin-posts");
        assertThat(match(t, "h", "GET", "/admin/x", headers())).isEqualTo("root");
    }

    @Test
    void fallsBackToLessSpecificHostLevelsWhenThePathDoesNotMatch() throws Exception {
        RouteTable t = table(
                route("exact-api", "api.example.com", "/api", "a"),
                route("wild-img", "*.example.com", "/img", "b"),
                route("any-static", null, "/static", "c"));
        assertThat(match(t, "api.example.com", "/api/x")).isEqualTo("exact-api");
        assertThat(match(t, "api.example.com", "/img/1.png")).isEqualTo("wild-img");
        assertThat(match(t, "api.example.com", "/static/app.js")).isEqualTo("any-static");
        assertThat(match(t, "api.example.com", "/other")).isNull();
    }

    @Test
    void hostIsCaseInsensitiveWithoutPortOrTrailingDot() throws Exception {
        RouteTable t = table(
                route("exact", "API.Example.com", "/", "a"),
                route("wild", "*.Example.COM", "/", "b"));
        assertThat(match(t, "api.example.com", "/")).isEqualTo("exact");
        assertThat(match(t, "API.EXAMPLE.COM", "/")).isEqualTo("exact");
        assertThat(match(t, "Api.Example.Com:8080", "/")).isEqualTo("exact");
        assertThat(match(t, "api.example.com.", "/")).isEqualTo("exact");
        assertThat(match(t, "api.example.com.:443", "/")).isEqualTo("exact");
        assertThat(match(t, "WWW.EXAMPLE.COM:80", "/")).isEqualTo("wild");
        assertThat(match(t, "api.example.co", "/")).isNull();
    }

    @Test
    void ipv6LiteralHostsKeepBracketsAndNeverMatchWildcards() throws Exception {
        RouteTable t = table(
                route("v6", "[::1]", "/", "a"),
                route("wild", "*.0.1", "/", "b"),
                route("v4", "10.0.0.1", "/", "c"),
                route("any", null, "/", "d"));
        assertThat(match(t, "[::1]", "/")).isEqualTo("v6");
        assertThat(match(t, "[::1]:8080", "/")).isEqualTo("v6");
        assertThat(match(t, "[::2]:8080", "/")).isEqualTo("any");
        assertThat(match(t, "[::ffff:10.0.0.1]", "/")).isEqualTo("any");
        assertThat(match(t, "10.0.0.1:80", "/")).isEqualTo("v4");
    }

    @Test
    void missingHostMatchesOnlyAnyHostRoutes() throws Exception {
        RouteTable t = table(
                route("exact", "a.example.com", "/", "a"),
                route("any", null, "/", "b"));
        assertThat(match(t, null, "/")).isEqualTo("any");
        assertThat(match(t, "", "/")).isEqualTo("any");
        assertThat(match(t, ":8080", "/")).isEqualTo("any");
    }

    @Test
    void tiesGoToTheHigherPrecedenceSourceThenToTheName() throws Exception {
        RouteTable t = table(
                route("zeta", null, "/api", null, Map.of("X-A", "1"), "a", "config"),
                route("alpha", null, "/api", null, Map.of("X-B", "1"), "b", "api"),
                route("beta", null, "/api", null, Map.of("X-C", "1"), "c", "config"));
        assertThat(match(t, "h", "GET", "/api", headers("X-A", "1", "X-B", "1"))).isEqualTo("zeta");
        assertThat(match(t, "h", "GET", "/api", headers("X-A", "1", "X-C", "1"))).isEqualTo("beta");
        assertThat(match(t, "h", "GET", "/api", headers("X-B", "1"))).isEqualTo("alpha");
    }

    @Test
    void routesAreListedInMatchingOrder() throws Exception {
        RouteTable t = table(
                route("any-root", null, "/", "a"),
                route("wild-short", "*.example.com", "/", "b"),
                route("exact-b", "b.example.com", "/", "c"),
                route("wild-long", "*.api.example.com", "/", "d"),
                route("exact-a-long", "a.example.com", "/api/v1", "e"),
                route("exact-a", "a.example.com", "/", "f"),
                route("any-api", null, "/api", "g"));
        assertThat(t.routes()).extracting(Route::name).containsExactly(
                "exact-a-long", "exact-a", "exact-b", "wild-long", "wild-short", "any-api", "any-root");
        assertThat(t.services()).containsExactly("a", "b", "c", "d", "e", "f", "g");
    }
}
