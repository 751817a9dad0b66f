package dev.switchboard.discovery.consul;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether an address from Consul can name a host at all, decided without DNS. Consul stores any
 * string as an address ({@code "not a host"}, {@code "10.0.0.1:8080"}, {@code "999.1.1.1"},
 * {@code "bücher.example"}); such an instance can never be reached, and handing it on makes the
 * router try (and log) a lookup on every rebuild. Accepted:
 * <ul>
 *   <li>an IPv4 literal: four decimal octets 0..255 without leading zeros;</li>
 *   <li>an IPv6 literal, optionally in brackets (returned without them), optionally with a zone;</li>
 *   <li>an ASCII host name: labels of letters, digits, {@code -} and {@code _} (Docker names), 1..63
 *       characters, not starting or ending with {@code -}, at most 253 characters, an optional
 *       trailing dot. International names must be given in their {@code xn--} form.</li>
 * </ul>
 */
final class HostSyntax {

    private HostSyntax() {
    }

    /** The address to connect to ({@code [::1]} becomes {@code ::1}), or null if it names no host. */
    static String normalize(String address) {
        String a = address;
        if (a.length() > 2 && a.charAt(0) == '[' && a.charAt(a.length() - 1) == ']') {
            a = a.substring(1, a.length() - 1);
            return a.indexOf(':') >= 0 && isIpv6(a) ? a : null;
        }
        if (a.indexOf(':') >= 0) {
            return isIpv6(a) ? a : null;
        }
        if (a.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9')) {
            return isIpv4(a) ? a : null;
        }
        return isHostName(a) ? a : null;
    }

    private static boolean isIpv4(String a) {
        String[] parts = a.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || p.length() > 1 && p.charAt(0) == '0' || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * Hex digits, colons and dots (an embedded IPv4 part), then an optional {@code %zone}; a string
     * of that shape is parsed as a literal by {@link InetAddress#getByName}, never looked up.
     */
    private static boolean isIpv6(String a) {
        int percent = a.indexOf('%');
        String literal = percent < 0 ? a : a.substring(0, percent);
        String zone = percent < 0 ? "" : a.substring(percent + 1);
        if (literal.isEmpty() || percent >= 0 && zone.isEmpty()
                || !literal.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)
                || !zone.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-'))) {
            return false;
        }
        try {
            InetAddress.getByName(literal);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isHostName(String a) {
        String name = a.endsWith(".") ? a.substring(0, a.length() - 1) : a;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    return false;
                }
            }
        }
        return true;
    }
}
