package dev.switchboard.router.table;

import static dev.switchboard.router.table.Routes.rewrite;
import static dev.switchboard.router.table.Routes.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.config.RewriteConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathRewriterTest {

    /** Matches {@code rawPath} (a request target, query allowed) and rewrites it, as the proxy does. */
    private static String forward(String routePath, RewriteConfig rw, String rawPath) throws Exception {
        RouteTable t = table(rewrite(routePath, rw));
        RequestPath p = RequestPath.parse(rawPath);
        Route r = t.match("h", "GET", p.path(), HeaderLookup.NONE);
        assertThat(r).as("route for " + rawPath).isNotNull();
        RequestPath out = r.rewrite(p.path());
        return out.isValid() ? out.path() : "400 " + out.reason();
    }

    private static RewriteConfig strip() {
        return new RewriteConfig(true, null, null, null);
    }

    private static RewriteConfig replace(String prefix) {
        return new RewriteConfig(false, prefix, null, null);
    }

    private static RewriteConfig regex(String regex, String replacement) {
        return new RewriteConfig(false, null, regex, replacement);
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "/api|/api/users|/users",
            "/api|/api/users/|/users/",
            "/api|/api|/",
            "/api|/api/|/",
            "/api/|/api/users|/users",
            "/api/|/api/|/",
            "/|/users|/users",
            "/api|/api/users?id=1&next=/api|/users",
    })
    void stripRemovesThePrefixAndKeepsTheLeadingSlash(String route, String path, String expected) throws Exception {
        assertThat(forward(route, strip(), path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1} on {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "/api|/v2|/api/users|/v2/users",
            "/api|/v2|/api|/v2",
            "/api|/v2|/api/|/v2/",
            "/api|/v2/|/api/users|/v2/users",
            "/api|/v2/|/api|/v2/",
            "/api/|/v2|/api/users|/v2/users",
            "/api/|/v2/|/api/users|/v2/users",
            "/api|/|/api/users|/users",
            "/api|/|/api|/",
            "/|/backend|/x/y|/backend/x/y",
            "/|/backend|/|/backend",
            "/old/path|/new|/old/path/a|/new/a",
    })
    void replaceSwapsThePrefixWithExactlyOneSlash(String route, String with, String path, String expected)
            throws Exception {
        assertThat(forward(route, replace(with), path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} => {1} on {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "^/api/v(\\d+)/(.*)$|/$2?version=$1|/api/v1/users|400 path contains ?",
            "^/api/v(\\d+)/(.*)$|/v$1/$2|/api/v2/users/42|/v2/users/42",
            "^/api/(?<rest>.*)$|/internal/${rest}|/api/a/b|/internal/a/b",
            "^/api/(.*)$|/$1|/api/|/",
            "^/api/(.*)$|/x/$1|/apix|/apix",
            "^/api/(.*)$|$1|/api/users|400 path does not start with /",
            "^/api/(.*)$|/$1/../..|/api/users|400 path contains a . or .. segment",
            "^/api/(.*)$|/../$1|/api/users|400 path contains a . or .. segment",
            "^/api/(.*)$|/a/%2e%2e/$1|/api/users|400 path contains a . or .. segment",
            "^/api/(.*)$|/a%2F$1|/api/users|400 path contains an encoded slash (%2F)",
            "^/api/(.*)$|/$1//x|/api/users|/users/x",
            "^/api(.*)$|$1|/api|400 path does not start with /",
    })
    void regexRewritesAndItsResultIsValidatedAgain(String regex, String replacement, String path, String expected)
            throws Exception {
        assertThat(forward("/", regex(regex, replacement), path)).isEqualTo(expected);
    }

    @Test
    void regexOnlyMatchingThePathAsAWholeRewritesIt() throws Exception {
        // find() would match "/a" inside "/a/b"; the regex must match the whole path
        assertThat(forward("/", regex("/a", "/z"), "/a/b")).isEqualTo("/a/b");
        assertThat(forward("/", regex("/a|/a/b", "/z"), "/a/b")).isEqualTo("/z");
    }

    @Test
    void queryIsNeverPartOfWhatTheRewriterSees() throws Exception {
        // the proxy parses the raw target (query dropped), rewrites the path and appends the original query
        assertThat(forward("/", regex("^(.*)$", "/wrapped$1"), "/a?x=/../..")).isEqualTo("/wrapped/a");
        assertThat(forward("/api", replace("/v2"), "/api/a?q=%2F..")).isEqualTo("/v2/a");
    }

    @Test
    void noRewriteForwardsThePathUnchanged() throws Exception {
        assertThat(forward("/api", new RewriteConfig(null, null, null, null), "/api/x/../y")).isEqualTo("/api/y");
        assertThat(PathRewriter.NONE.describe()).isEqualTo("none");
    }

    @Test
    void describesEachForm() {
        assertThat(PathRewriter.strip("/api").describe()).isEqualTo("strip");
        assertThat(PathRewriter.replace("/api", "/v2").describe()).isEqualTo("replace:/v2");
        assertThat(PathRewriter.regex(java.util.regex.Pattern.compile("^/a/(.*)$"), "/b/$1").describe())
                .isEqualTo("regex:^/a/(.*)$ => /b/$1");
    }
}
