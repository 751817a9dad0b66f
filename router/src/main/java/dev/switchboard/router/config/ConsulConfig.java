package dev.switchboard.router.config;

import java.time.Duration;

/**
 * Consul discovery. Unset address, token, datacenter and CA file are filled from {@code CONSUL_HTTP_ADDR}
 * (with {@code CONSUL_HTTP_SSL}), {@code CONSUL_HTTP_TOKEN}, {@code CONSUL_DATACENTER} and
 * {@code CONSUL_CACERT} by the loader. {@link #toString()} never shows the token.
 *
 * @param enabled        watch Consul (default false; the static config is the embedded default)
 * @param address        {@code host:port} or {@code http(s)://host:port}
 * @param token          ACL token
 * @param datacenter     datacenter to query, or null for the agent's
 * @param caFile         CA bundle for HTTPS to Consul
 * @param waitTime       blocking-query wait time (default 55s)
 * @param stale          allow stale reads (default true)
 * @param includeWarning route to instances whose checks are in warning (default false)
 * @param watchAll       watch every service, not only those carrying route tags or named by routes
 * @param snapshotFile   persist the last catalog here so a restart during a Consul outage still routes
 * @param configKey      a KV key holding router config overrides (YAML), hot-reloaded
 * @param register       register this router in Consul with an HTTP check on the admin health endpoint
 */
public record ConsulConfig(
        Boolean enabled,
        String address,
        String token,
        String datacenter,
        String caFile,
        Duration waitTime,
        Boolean stale,
        Boolean includeWarning,
        Boolean watchAll,
        String snapshotFile,
        String configKey,
        RegisterConfig register) {

    public static final ConsulConfig DEFAULT =
            new ConsulConfig(null, null, null, null, null, null, null, null, null, null, null, null);

    public ConsulConfig {
        enabled = enabled != null ? enabled : false;
        waitTime = waitTime != null ? waitTime : Duration.ofSeconds(55);
        stale = stale != null ? stale : true;
        includeWarning = includeWarning != null ? includeWarning : false;
        watchAll = watchAll != null ? watchAll : false;
        register = register != null ? register : RegisterConfig.DEFAULT;
    }

    @Override
    public String toString() {
        return "ConsulConfig[enabled=" + enabled + ", address=" + address + ", token="
                + (token == null ? "null" : "<redacted>") + ", datacenter=" + datacenter + ", caFile=" + caFile
                + ", waitTime=" + waitTime + ", stale=" + stale + ", includeWarning=" + includeWarning
                + ", watchAll=" + watchAll + ", snapshotFile=" + snapshotFile + ", configKey=" + configKey
                + ", register=" + register + "]";
    }

    /**
     * Self-registration.
     *
     * @param enabled     register on start, deregister after draining on shutdown
     * @param serviceName name to register under (default {@code switchboard})
     * @param address     address to advertise (default: the listener's, or the host name)
     */
    public record RegisterConfig(Boolean enabled, String serviceName, String address) {
        public static final RegisterConfig DEFAULT = new RegisterConfig(null, null, null);

        public RegisterConfig {
            enabled = enabled != null ? enabled : false;
            serviceName = serviceName != null ? serviceName : "switchboard";
        }
    }
}
