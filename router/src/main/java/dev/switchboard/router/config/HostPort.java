package dev.switchboard.router.config;

/** Parsing of {@code host:port} and {@code [v6]:port} addresses as written in config and API calls. */
public record HostPort(String host, int port) {

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
        String expected = "host:port with port 1..65535, e.g. 10.0.0.5:8080 or [::1]:8080";
        if (address == null || address.isBlank() || address.length() > 300) {
            throw new IllegalArgumentException(expected);
        }
        String host;
        String port;
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0 || close + 1 >= address.length() || address.charAt(close + 1) != ':') {
                throw new IllegalArgumentException(expected);
            }
            host = address.substring(1, close);
            port = address.substring(close + 2);
        } else {
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || address.indexOf(':') != colon) {
                throw new IllegalArgumentException(expected);
            }
            host = address.substring(0, colon);
            port = address.substring(colon + 1);
        }
        if (!host.matches("[A-Za-z0-9._:-]+")) {
            throw new IllegalArgumentException(expected);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(expected);
        }
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException(expected);
        }
        return new HostPort(host, p);
    }
}
