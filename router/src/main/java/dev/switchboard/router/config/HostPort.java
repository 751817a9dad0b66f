package dev.switchboard.router.config;

import java.util.regex.Pattern;

/**
 * An address as written in config and API calls: {@code host:port}, where host is an IPv4 address or
 * a DNS name, or {@code [v6]:port} for an IPv6 literal. The port is 1..65535.
 *
 * @param host the host without brackets
 * @param port the port
 */
public record HostPort(String host, int port) {

    /** What {@link #parse} accepts, for error messages. */
    public static final String EXPECTED = "host:port with port 1..65535, e.g. 10.0.0.5:8080, api.internal:80 or [::1]:8080";

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern IPV4 = Pattern.compile("[0-9]+(\\.[0-9]+){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    /** Returns null if valid, else what was expected. */
    public static String check(String address) {
        try {
            parse(address);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** @throws IllegalArgumentException with the expectation as message */
    public static HostPort parse(String address) {
        if (address == null || address.isBlank() || address.length() > 300) {
            throw new IllegalArgumentException(EXPECTED);
        }
        String host;
        String port;
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0 || close + 1 >= address.length() || address.charAt(close + 1) != ':') {
                throw new IllegalArgumentException(EXPECTED);
            }
            host = address.substring(1, close);
            port = address.substring(close + 2);
            if (!host.contains(":") || !IPV6.matcher(host).matches()) {
                throw new IllegalArgumentException(EXPECTED);
            }
        } else {
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || address.indexOf(':') != colon) {
                throw new IllegalArgumentException(EXPECTED);
            }
            host = address.substring(0, colon);
            port = address.substring(colon + 1);
            if (!isHostName(host)) {
                throw new IllegalArgumentException(EXPECTED);
            }
        }
        if (!PORT.matcher(port).matches()) {
            throw new IllegalArgumentException(EXPECTED);
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException(EXPECTED);
        }
        return new HostPort(host, p);
    }

    private static boolean isHostName(String host) {
        if (IPV4.matcher(host).matches()) {
            for (String octet : host.split("\\.")) {
                if (octet.length() > 3 || Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (host.length() > 253) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The form {@link #parse} reads: {@code host:port} or {@code [v6]:port}. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
