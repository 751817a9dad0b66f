package dev.switchboard.discovery.consul;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * How to reach Consul and what to watch. Immutable; build with {@link #builder()} or
 * {@link #fromEnvironment(Map)}.
 *
 * @param address        {@code host:port} (HTTP) or {@code http(s)://host:port}
 * @param token          ACL token sent as {@code X-Consul-Token}, or null
 * @param datacenter     datacenter to query, or null for the agent's own
 * @param caFile         PEM file with the CA certificate(s) to trust for HTTPS, or null for the JVM default
 * @param waitTime       blocking-query wait (Consul adds up to 1/16 jitter); default 55 s
 * @param staleReads     allow any server to answer ({@code ?stale}); default true
 * @param includeWarning instances whose worst check is {@code warning} are routable; default false
 * @param watchAll       watch every service, not only tagged or wanted ones; default false
 * @param wantedServices services watched whatever their tags (e.g. named by config routes)
 * @param snapshotFile   where the last snapshot is persisted and restored from, or null
 * @param minInterval    minimum time between two requests of one watch; default 250 ms
 * @param retryMin       first backoff delay after an error; default 500 ms
 * @param retryMax       backoff cap; default 30 s
 * @param publishDelay   how long a change waits for others before one snapshot is published; default 50 ms
 * @param clock          time source for status timestamps
 * @param random         jitter source (seed it in tests)
 */
public record ConsulSettings(
        String address,
        String token,
        String datacenter,
        Path caFile,
        Duration waitTime,
        boolean staleReads,
        boolean includeWarning,
        boolean watchAll,
        Set<String> wantedServices,
        Path snapshotFile,
        Duration minInterval,
        Duration retryMin,
        Duration retryMax,
        Duration publishDelay,
        Clock clock,
        Random random) {

    public static final String DEFAULT_ADDRESS = "127.0.0.1:8500";

    public ConsulSettings {
        Objects.requireNonNull(address, "address");
        baseUrl(address); // validates
        token = token == null || token.isBlank() ? null : token.trim();
        datacenter = datacenter == null || datacenter.isBlank() ? null : datacenter.trim();
        requireRange("waitTime", waitTime, Duration.ofSeconds(1), Duration.ofMinutes(5));
        requireRange("minInterval", minInterval, Duration.ZERO, Duration.ofMinutes(1));
        requireRange("retryMin", retryMin, Duration.ofMillis(1), Duration.ofMinutes(5));
        requireRange("retryMax", retryMax, retryMin, Duration.ofHours(1));
        requireRange("publishDelay", publishDelay, Duration.ZERO, Duration.ofSeconds(10));
        wantedServices = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(wantedServices, "wantedServices")));
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
    }

    /**
     * Settings from the standard Consul environment variables: {@code CONSUL_HTTP_ADDR},
     * {@code CONSUL_HTTP_TOKEN}, {@code CONSUL_HTTP_SSL} ({@code true} means HTTPS for a bare
     * {@code host:port}), {@code CONSUL_CACERT}, {@code CONSUL_DATACENTER}. Unset ones keep defaults.
     */
    public static Builder fromEnvironment(Map<String, String> env) {
        Builder b = builder();
        String addr = env.get("CONSUL_HTTP_ADDR");
        if (addr != null && !addr.isBlank()) {
            addr = addr.trim();
            boolean ssl = "true".equalsIgnoreCase(env.getOrDefault("CONSUL_HTTP_SSL", "false"));
            b.address(ssl && !addr.contains("://") ? "https://" + addr : addr);
        }
        b.token(env.get("CONSUL_HTTP_TOKEN"));
        b.datacenter(env.get("CONSUL_DATACENTER"));
        String ca = env.get("CONSUL_CACERT");
        if (ca != null && !ca.isBlank()) {
            b.caFile(Path.of(ca.trim()));
        }
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The agent's base URL, {@code http(s)://host:port}, without a trailing slash. */
    public String baseUrl() {
        return baseUrl(address);
    }

    static String baseUrl(String address) {
        String a = address.trim();
        String url = a.contains("://") ? a : "http://" + a;
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("address: " + address + " (expected: host:port or http(s)://host:port)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
            throw new IllegalArgumentException("address: " + address + " (expected: host:port or http(s)://host:port)");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 8501 : 8500;
        String host = uri.getHost();
        return scheme + "://" + host + ":" + port;
    }

    /** Like the record's form but with the token masked: settings end up in logs and admin pages. */
    @Override
    public String toString() {
        return "ConsulSettings[address=" + address + ", token=" + (token == null ? "none" : "<redacted>")
                + ", datacenter=" + datacenter + ", caFile=" + caFile + ", waitTime=" + waitTime
                + ", staleReads=" + staleReads + ", includeWarning=" + includeWarning + ", watchAll=" + watchAll
                + ", wantedServices=" + wantedServices + ", snapshotFile=" + snapshotFile + "]";
    }

    private static void requireRange(String field, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, field);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: " + min + " .. " + max + ")");
        }
    }

    /** Mutable builder with the documented defaults. */
    public static final class Builder {
        private String address = DEFAULT_ADDRESS;
        private String token;
        private String datacenter;
        private Path caFile;
        private Duration waitTime = Duration.ofSeconds(55);
        private boolean staleReads = true;
        private boolean includeWarning;
        private boolean watchAll;
        private Set<String> wantedServices = Set.of();
        private Path snapshotFile;
        private Duration minInterval = Duration.ofMillis(250);
        private Duration retryMin = Duration.ofMillis(500);
        private Duration retryMax = Duration.ofSeconds(30);
        private Duration publishDelay = Duration.ofMillis(50);
        private Clock clock = Clock.systemUTC();
        private Random random = new Random();

        private Builder() {
        }

        private Builder(ConsulSettings s) {
            address = s.address;
            token = s.token;
            datacenter = s.datacenter;
            caFile = s.caFile;
            waitTime = s.waitTime;
            staleReads = s.staleReads;
            includeWarning = s.includeWarning;
            watchAll = s.watchAll;
            wantedServices = s.wantedServices;
            snapshotFile = s.snapshotFile;
            minInterval = s.minInterval;
            retryMin = s.retryMin;
            retryMax = s.retryMax;
            publishDelay = s.publishDelay;
            clock = s.clock;
            random = s.random;
        }

        public Builder address(String v) { address = v; return this; }
        public Builder token(String v) { token = v; return this; }
        public Builder datacenter(String v) { datacenter = v; return this; }
        public Builder caFile(Path v) { caFile = v; return this; }
        public Builder waitTime(Duration v) { waitTime = v; return this; }
        public Builder staleReads(boolean v) { staleReads = v; return this; }
        public Builder includeWarning(boolean v) { includeWarning = v; return this; }
        public Builder watchAll(boolean v) { watchAll = v; return this; }
        public Builder wantedServices(Set<String> v) { wantedServices = v; return this; }
        public Builder snapshotFile(Path v) { snapshotFile = v; return this; }
        public Builder minInterval(Duration v) { minInterval = v; return this; }
        public Builder retryMin(Duration v) { retryMin = v; return this; }
        public Builder retryMax(Duration v) { retryMax = v; return this; }
        public Builder publishDelay(Duration v) { publishDelay = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder random(Random v) { random = v; return this; }

        public ConsulSettings build() {
            return new ConsulSettings(address, token, datacenter, caFile, waitTime, staleReads, includeWarning,
                    watchAll, wantedServices, snapshotFile, minInterval, retryMin, retryMax, publishDelay, clock,
                    random);
        }
    }
}
