package dev.switchboard.router.table;

import dev.switchboard.router.config.RewriteConfig;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.TimeoutsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks one {@link RouteConfig} and compiles what matching needs. Every problem becomes one message
 * {@code <label>.<field>: <value> (expected: ...)}, e.g. {@code routes[2].path: "api" (expected: starts with /)}.
 * Shared by {@link RouteTableBuilder} and {@link ConsulRoutes}, so that a Consul route that passes here
 * can never make a build fail.
 */
final class RouteValidator {

    /** Methods a route may name (RFC 9110 plus PATCH). */
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private static final String METHOD_LIST = "one of CONNECT, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, TRACE";

    /** A checked route: the parts that decide matching and forwarding. */
    record Checked(String name, HostPattern host, String path, SortedSet<String> methods,
                   SortedMap<String, String> headers, String service, PathRewriter rewriter,
                   TimeoutsConfig timeouts, Boolean preserveHost, boolean accessLog, int maxInFlight, String source) {

        /** Two routes with equal keys are duplicates. */
        MatchKey matchKey() {
            return new MatchKey(host, path, methods, headers);
        }

        /** Everything about forwarding except the target; Consul routes merge only when these agree. */
        String forwardingKey() {
            StringBuilder sb = new StringBuilder("rewrite=").append(rewriter.describe());
            Route.appendOptions(sb, timeouts, preserveHost, accessLog, maxInFlight);
            return sb.toString();
        }
    }

    /** Host, path, methods and headers: what makes two routes the same route. */
    record MatchKey(HostPattern host, String path, SortedSet<String> methods, SortedMap<String, String> headers) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("host=").append(host.describe()).append(" path=").append(path);
            Route.appendConditions(sb, methods, headers);
            return sb.toString();
        }
    }

    private RouteValidator() {
    }

    /** Returns the checked route, or null after adding at least one message to {@code errors}. */
    static Checked check(RouteConfig c, String label, List<String> errors) {
        int before = errors.size();
        if (c.name().isBlank()) {
            errors.add(error(label, "name", c.name(), "a non-empty name"));
        }
        HostPattern host = null;
        try {
            host = HostPattern.parse(c.host());
        } catch (IllegalArgumentException e) {
            errors.add(error(label, "host", c.host(), e.getMessage()));
        }
        checkPath(label, "path", c.path(), errors);
        SortedSet<String> methods = new TreeSet<>();
        for (int i = 0; i < c.methods().size(); i++) {
            String m = c.methods().get(i);
            String upper = m == null ? null : m.toUpperCase(Locale.ROOT);
            if (upper == null || !METHODS.contains(upper)) {
                errors.add(error(label, "methods[" + i + "]", m, METHOD_LIST));
            } else {
                methods.add(upper);
            }
        }
        SortedMap<String, String> headers = checkHeaders(label, c.headers(), errors);
        if (c.service() == null || c.service().isEmpty() || !isToken(c.service())) {
            errors.add(error(label, "service", c.service(), "a non-empty service name of ASCII letters, digits and !#$%&'*+-.^_`|~"));
        }
        PathRewriter rewriter = checkRewrite(label, c.path(), c.rewrite(), errors);
        checkTimeout(label, "timeouts.connect", c.timeouts().connect(), errors);
        checkTimeout(label, "timeouts.response", c.timeouts().response(), errors);
        checkTimeout(label, "timeouts.idle", c.timeouts().idle(), errors);
        if (c.maxInFlight() < 0) {
            errors.add(label + ".max_in_flight: " + c.maxInFlight() + " (expected: >= 0, 0 for unlimited)");
        }
        if (RouteTableBuilder.sourceRank(c.source()) < 0) {
            errors.add(error(label, "source", c.source(), "config, api or consul"));
        }
        if (errors.size() > before) {
            return null;
        }
        return new Checked(c.name(), host, c.path(), methods, headers, c.service(), rewriter, c.timeouts(),
                c.preserveHost(), c.accessLog(), c.maxInFlight(), c.source());
    }

    /** A path must be given exactly in its normalized form. */
    static boolean checkPath(String label, String field, String path, List<String> errors) {
        if (path == null || !path.startsWith("/")) {
            errors.add(error(label, field, path, "starts with /"));
            return false;
        }
        RequestPath p = RequestPath.strict(path);
        if (!p.isValid()) {
            errors.add(error(label, field, path, "a normalized path; " + p.reason()));
            return false;
        }
        if (!p.path().equals(path)) {
            errors.add(error(label, field, path, "the normalized form " + quote(p.path())));
            return false;
        }
        return true;
    }

    private static SortedMap<String, String> checkHeaders(String label, Map<String, String> given, List<String> errors) {
        SortedMap<String, String> headers = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(given).entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || !isToken(name)) {
                errors.add(error(label, "headers", name, "a header name (letters, digits and !#$%&'*+-.^_`|~)"));
            } else if (e.getValue() == null) {
                errors.add(error(label, "headers." + name, null, "a value to compare exactly"));
            } else if (headers.put(name.toLowerCase(Locale.ROOT), e.getValue()) != null) {
                errors.add(error(label, "headers." + name, e.getValue(), "each header once, names ignoring case"));
            }
        }
        return headers;
    }

    private static PathRewriter checkRewrite(String label, String prefix, RewriteConfig r, List<String> errors) {
        List<String> forms = new ArrayList<>();
        if (r.stripPrefix()) {
            forms.add("strip_prefix");
        }
        if (r.replacePrefix() != null) {
            forms.add("replace_prefix");
        }
        if (r.regex() != null) {
            forms.add("regex");
        }
        if (forms.size() > 1) {
            errors.add(error(label, "rewrite", String.join(", ", forms), "at most one of strip_prefix, replace_prefix, regex"));
            return PathRewriter.NONE;
        }
        if (r.replacement() != null && r.regex() == null) {
            errors.add(error(label, "rewrite.replacement", r.replacement(), "only together with rewrite.regex"));
            return PathRewriter.NONE;
        }
        if (r.stripPrefix()) {
            return PathRewriter.strip(prefix);
        }
        if (r.replacePrefix() != null) {
            return checkPath(label, "rewrite.replace_prefix", r.replacePrefix(), errors)
                    ? PathRewriter.replace(prefix, r.replacePrefix()) : PathRewriter.NONE;
        }
        if (r.regex() == null) {
            return PathRewriter.NONE;
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(r.regex());
        } catch (PatternSyntaxException e) {
            errors.add(error(label, "rewrite.regex", r.regex(), "a Java regular expression; " + e.getDescription()
                    + " at index " + e.getIndex()));
            return PathRewriter.NONE;
        }
        String problem = replacementProblem(r.regex(), r.replacement());
        if (problem != null) {
            errors.add(error(label, "rewrite.replacement", r.replacement(), problem));
            return PathRewriter.NONE;
        }
        return PathRewriter.regex(pattern, r.replacement());
    }

    /**
     * Why a replacement cannot be expanded for {@code regex}, or null. Expands it once against an
     * alternative that matches the empty string, which keeps the regex's groups (numbered and named)
     * unmatched, so exactly the references Java would reject at request time fail here.
     */
    private static String replacementProblem(String regex, String replacement) {
        if (replacement == null) {
            return "a replacement for rewrite.regex, $1-style references allowed";
        }
        try {
            var m = Pattern.compile("(?:" + regex + "\n)|").matcher("");
            if (m.matches()) {
                m.appendReplacement(new StringBuilder(), replacement);
            }
            return null;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return "references to groups of rewrite.regex only; " + e.getMessage();
        }
    }

    private static void checkTimeout(String label, String field, Duration d, List<String> errors) {
        if (d != null && (d.isNegative() || d.isZero())) {
            errors.add(label + "." + field + ": " + Route.formatDuration(d) + " (expected: > 0)");
        }
    }

    /** RFC 9110 token: visible ASCII except delimiters. */
    static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String error(String label, String field, String value, String expected) {
        return label + "." + field + ": " + quote(value) + " (expected: " + expected + ")";
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
