package dev.switchboard.router.table;

import dev.switchboard.router.config.RewriteConfig;
import dev.switchboard.router.config.RouteConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses one Fabio-style route spec, the part of a {@code urlprefix-} tag after the prefix:
 * {@code [host]/path[ option...]} with whitespace-separated {@code key=value} options. See
 * {@link ConsulRoutes} for what is supported. Bad input yields a {@link Parsed} with an error, never
 * an exception.
 */
final class UrlPrefixParser {

    /** Longest spec accepted; Consul meta values are at most 512 characters, tags have no limit. */
    static final int MAX_LENGTH = 1024;

    /**
     * A parse result: the route and its share, or an error. {@code notes} are options that were
     * ignored without changing how requests are routed (reported, route kept).
     */
    record Parsed(RouteConfig route, double share, List<String> notes, String error) {
        static Parsed error(String reason) {
            return new Parsed(null, 0, List.of(), reason);
        }
    }

    private UrlPrefixParser() {
    }

    static Parsed parse(String service, String spec) {
        String s = spec.strip();
        if (s.isEmpty()) {
            return Parsed.error("empty route (expected: [host]/path [options])");
        }
        if (s.length() > MAX_LENGTH) {
            return Parsed.error("route longer than " + MAX_LENGTH + " characters");
        }
        String[] tokens = s.split("\\s+");
        String target = tokens[0];
        if (target.startsWith(":")) {
            return Parsed.error("TCP route " + RouteValidator.quote(target) + " is not supported (expected: [host]/path)");
        }
        int slash = target.indexOf('/');
        if (slash < 0) {
            return Parsed.error("route " + RouteValidator.quote(target) + " has no path (expected: [host]/path)");
        }
        if (target.indexOf('$') >= 0) {
            return Parsed.error("environment expansion in " + RouteValidator.quote(target) + " is not supported");
        }
        String host = target.substring(0, slash).toLowerCase(Locale.ROOT);
        String path = target.substring(slash);
        String strip = null;
        String prepend = null;
        double share = 0;
        Boolean preserveHost = null;
        List<String> notes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < tokens.length; i++) {
            String opt = tokens[i];
            int eq = opt.indexOf('=');
            String key = eq < 0 ? opt : opt.substring(0, eq);
            String value = eq < 0 ? null : opt.substring(eq + 1);
            if (value == null) {
                return Parsed.error("option " + RouteValidator.quote(opt) + " is not supported (expected: key=value)");
            }
            if (!seen.add(key)) {
                return Parsed.error("option " + key + "= given twice");
            }
            switch (key) {
                case "strip" -> strip = value;
                case "prepend" -> prepend = value;
                case "weight" -> {
                    share = parseShare(value);
                    if (Double.isNaN(share)) {
                        return Parsed.error("weight=" + value + " (expected: a number, e.g. 0.05 for 5% of the route's"
                                + " traffic, at most " + (int) ConsulMerge.MAX_SHARE + ")");
                    }
                }
                case "proto" -> {
                    if (!value.equals("http")) {
                        return Parsed.error("proto=" + value + " is not supported (only http upstreams)");
                    }
                }
                case "tlsskipverify" -> {
                    if (!value.equals("false")) {
                        return Parsed.error("tlsskipverify=" + value + " is not supported (only http upstreams)");
                    }
                }
                case "host" -> {
                    if (!value.equals("dst")) {
                        return Parsed.error("host=" + value + " is not supported (expected: host=dst,"
                                + " which sends the backend's host:port as Host)");
                    }
                    preserveHost = false;
                }
                case "register" -> notes.add("option register=" + value + " ignored: Switchboard does not register"
                        + " host names in Consul; the route is kept");
                case "auth", "allow", "deny" -> {
                    return Parsed.error("access control " + key + "= is not supported; the route is not served"
                            + " rather than served unprotected");
                }
                case "redirect" -> {
                    return Parsed.error("redirect= is not supported");
                }
                case "pxyproto" -> {
                    return Parsed.error("pxyproto= is not supported (TCP routes only)");
                }
                default -> {
                    return Parsed.error("unknown option " + RouteValidator.quote(key + "="));
                }
            }
        }
        RewriteConfig rewrite = null;
        if (strip != null || prepend != null) {
            List<String> errors = new ArrayList<>();
            if (strip != null && !RouteValidator.checkPath("", "strip", strip, errors)
                    || prepend != null && !RouteValidator.checkPath("", "prepend", prepend, errors)) {
                return Parsed.error(errors.get(0).substring(1));
            }
            if (strip != null && !isSegmentPrefix(strip, path)) {
                return Parsed.error("strip=" + strip + " (expected: a prefix of the route path " + path
                        + " ending at a segment boundary)");
            }
            rewrite = rewriteFor(path, strip, prepend);
        }
        RouteConfig route = new RouteConfig(null, host.isEmpty() ? null : host, path, null, null, service, rewrite,
                null, preserveHost, null, null, "consul");
        return new Parsed(route, share, List.copyOf(notes), null);
    }

    /**
     * Fabio strips {@code strip} from the request path, then prepends {@code prepend}. Since every
     * matched path starts with the route prefix, and {@code strip} is a prefix of it, that is the
     * same as replacing the route prefix with {@code prepend + (prefix - strip)}.
     */
    static RewriteConfig rewriteFor(String prefix, String strip, String prepend) {
        String rest = strip == null ? prefix : prefix.substring(strip.length());
        if (prepend == null && rest.isEmpty()) {
            return new RewriteConfig(true, null, null, null);
        }
        String replacement = PathRewriter.joinPath(prepend != null ? prepend : "/", rest);
        return replacement.equals(prefix) ? null : new RewriteConfig(false, replacement, null, null);
    }

    private static boolean isSegmentPrefix(String strip, String path) {
        return path.startsWith(strip) && (strip.length() == path.length() || strip.endsWith("/")
                || path.charAt(strip.length()) == '/');
    }

    /** A share in (0, MAX_SHARE], 0 for "no fixed share" (Fabio: w &lt;= 0), NaN when invalid. */
    private static double parseShare(String value) {
        try {
            double d = Double.parseDouble(value);
            if (Double.isNaN(d) || Double.isInfinite(d) || d > ConsulMerge.MAX_SHARE
                    || !value.matches("[-+]?[0-9]*\\.?[0-9]+")) {
                return Double.NaN;
            }
            return Math.max(0, d);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
