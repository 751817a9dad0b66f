package dev.switchboard.router.config;

/**
 * The admin listener: metrics, health, JSON API and dashboard.
 *
 * @param enabled whether to start it (default true)
 * @param address bind address (default {@code 127.0.0.1}: never public unless asked)
 * @param port    bind port (default 8081)
 * @param token   bearer token required by mutating API calls; falls back to {@code SWITCHBOARD_ADMIN_TOKEN}.
 *                Without a token, mutations are refused. {@link #toString()} never shows it.
 * @param jmx     also publish the metrics as JMX MBeans (default false)
 */
public record AdminConfig(Boolean enabled, String address, Integer port, String token, Boolean jmx) {

    public static final AdminConfig DEFAULT = new AdminConfig(null, null, null, null, null);

    public AdminConfig {
        enabled = enabled != null ? enabled : true;
        address = address != null ? address : "127.0.0.1";
        port = port != null ? port : 8081;
        jmx = jmx != null ? jmx : false;
    }

    @Override
    public String toString() {
        return "AdminConfig[enabled=" + enabled + ", address=" + address + ", port=" + port
                + ", token=" + (token == null ? "null" : "<redacted>") + ", jmx=" + jmx + "]";
    }
}
