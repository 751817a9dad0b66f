package dev.switchboard.router.table;

import dev.switchboard.router.config.ServiceConfig.HashKeyConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the values of Switchboard's Consul service-meta keys. Each returns null when invalid. */
final class ConsulMeta {

    static final String PREFIX = "switchboard-";
    static final String ROUTE = "switchboard-route";
    static final String STRATEGY = "switchboard-strategy";
    static final String HASH_KEY = "switchboard-hash-key";
    static final String TIMEOUT_CONNECT = "switchboard-timeout-connect";
    static final String TIMEOUT_RESPONSE = "switchboard-timeout-response";
    static final String TIMEOUT_IDLE = "switchboard-timeout-idle";

    /** The service-level keys, in the order their problems are reported. */
    static final List<String> SETTINGS = List.of(STRATEGY, HASH_KEY, TIMEOUT_CONNECT, TIMEOUT_RESPONSE, TIMEOUT_IDLE);

    static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    private static final Pattern STRATEGY_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");

    private ConsulMeta() {
    }

    /** Whether {@code key} holds routes: {@code switchboard-route} or {@code switchboard-route-<anything>}. */
    static boolean isRouteKey(String key) {
        return key.equals(ROUTE) || key.startsWith(ROUTE + "-");
    }

    static String expected(String key) {
        return switch (key) {
            case STRATEGY -> "a strategy name such as round_robin";
            case HASH_KEY -> "client_ip, path, header:<name> or cookie:<name>";
            default -> "a duration such as 250ms, 2s or 1m30s, greater than 0 and at most 24h";
        };
    }

    /** The canonical value of a valid setting (durations as parsed), or null. */
    static String canonical(String key, String value) {
        String v = value.strip();
        return switch (key) {
            case STRATEGY -> STRATEGY_NAME.matcher(v).matches() ? v : null;
            case HASH_KEY -> {
                HashKeyConfig h = hashKey(v);
                yield h == null ? null : h.name() == null ? h.source() : h.source() + ":" + h.name();
            }
            default -> {
                Duration d = duration(v);
                yield d == null ? null : Route.formatDuration(d);
            }
        };
    }

    /** {@code client_ip}, {@code path}, {@code header:<name>} or {@code cookie:<name>}; null if invalid. */
    static HashKeyConfig hashKey(String v) {
        if (v.equals("client_ip") || v.equals("path")) {
            return new HashKeyConfig(v, null);
        }
        int colon = v.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String source = v.substring(0, colon);
        String name = v.substring(colon + 1);
        if ((!source.equals("header") && !source.equals("cookie")) || name.isEmpty() || !RouteValidator.isToken(name)) {
            return null;
        }
        return new HashKeyConfig(source, name);
    }

    /** A Go-style duration ({@code 1m30s}, {@code 1.5s}, {@code 250ms}) in (0, 24h]; null if invalid. */
    static Duration duration(String v) {
        if (v.isEmpty() || v.length() > 64) {
            return null;
        }
        Matcher m = DURATION_PART.matcher(v);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < v.length()) {
            if (!m.find(at) || m.start() != at) {
                return null;
            }
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        if (nanos.signum() <= 0 || nanos.compareTo(BigDecimal.valueOf(MAX_TIMEOUT.toNanos())) > 0) {
            return null;
        }
        return Duration.ofNanos(nanos.longValue());
    }
}
