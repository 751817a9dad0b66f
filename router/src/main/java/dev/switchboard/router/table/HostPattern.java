package dev.switchboard.router.table;

import java.util.Locale;

/**
 * The host part of a route: any host, one exact host, or a wildcard {@code *.example.com} that
 * matches any host ending in {@code .example.com} (at any depth, never {@code example.com} itself).
 * Exact hosts are lower-case names, IPv4 addresses or bracketed IPv6 literals, without port.
 *
 * @param kind  which of the three
 * @param value {@code *} for any host, the lower-case host for exact, the suffix with its leading
 *              dot for wildcards ({@code .example.com})
 */
public record HostPattern(Kind kind, String value) {

    /** How a route's host is matched; also the order in which host levels are tried. */
    public enum Kind { EXACT, WILDCARD, ANY }

    public static final HostPattern ANY = new HostPattern(Kind.ANY, "*");

    static final String EXPECTED = "a host name without port, [IPv6], *.domain, or empty for any host";

    /**
     * Parses a route's host: null, empty or {@code *} for any host.
     *
     * @throws IllegalArgumentException with the expectation as message when the syntax is wrong
     */
    public static HostPattern parse(String host) {
        if (host == null || host.isEmpty() || host.equals("*")) {
            return ANY;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("*.")) {
            String suffix = h.substring(2);
            if (!isHostName(suffix)) {
                throw new IllegalArgumentException(EXPECTED);
            }
            return new HostPattern(Kind.WILDCARD, "." + suffix);
        }
        if (!isHostName(h) && !isIpv6Literal(h)) {
            throw new IllegalArgumentException(EXPECTED);
        }
        return new HostPattern(Kind.EXACT, h);
    }

    /** The form used in {@code describe()} and config: {@code *}, {@code example.com}, {@code *.example.com}. */
    public String describe() {
        return kind == Kind.WILDCARD ? "*" + value : value;
    }

    /**
     * End of the host name in a Host header value: before the port and a trailing dot
     * ({@code example.com.:8080} ends after {@code example.com}); after the {@code ]} of an IPv6 literal.
     */
    static int hostEnd(String host) {
        int n = host.length();
        if (n > 0 && host.charAt(0) == '[') {
            int close = host.indexOf(']');
            return close < 0 ? n : close + 1;
        }
        int colon = host.indexOf(':');
        int end = colon < 0 ? n : colon;
        return end > 0 && host.charAt(end - 1) == '.' ? end - 1 : end;
    }

    /** Dot-separated labels of letters, digits, {@code -} and {@code _}, at most 253 characters. */
    static boolean isHostName(String h) {
        if (h.isEmpty() || h.length() > 253 || h.charAt(0) == '.' || h.charAt(h.length() - 1) == '.') {
            return false;
        }
        char prev = 0;
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || (c == '.' && prev != '.');
            if (!ok) {
                return false;
            }
            prev = c;
        }
        return true;
    }

    private static boolean isIpv6Literal(String h) {
        if (h.length() < 4 || h.charAt(0) != '[' || h.charAt(h.length() - 1) != ']') {
            return false;
        }
        boolean colon = false;
        for (int i = 1; i < h.length() - 1; i++) {
            char c = h.charAt(i);
            colon |= c == ':';
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.')) {
                return false;
            }
        }
        return colon;
    }
}
