package dev.switchboard.router.config;

import java.util.function.Function;

/**
 * Fills settings the file leaves unset from the conventional environment variables, so the rest of
 * the router reads one effective configuration: {@code consul.address} from {@code CONSUL_HTTP_ADDR}
 * (with {@code https://} when {@code CONSUL_HTTP_SSL=true}), {@code consul.token} from
 * {@code CONSUL_HTTP_TOKEN}, {@code consul.datacenter} from {@code CONSUL_DATACENTER},
 * {@code consul.ca_file} from {@code CONSUL_CACERT} and {@code admin.token} from
 * {@code SWITCHBOARD_ADMIN_TOKEN}. A value written in the file always wins; blank variables count as unset.
 */
final class EnvDefaults {

    private EnvDefaults() {
    }

    static SwitchboardConfig apply(SwitchboardConfig c, Function<String, String> env) {
        AdminConfig a = c.admin();
        AdminConfig admin = new AdminConfig(a.enabled(), a.address(), a.port(), or(a.token(), env, "SWITCHBOARD_ADMIN_TOKEN"), a.jmx());
        ConsulConfig k = c.consul();
        String address = k.address();
        if (address == null) {
            address = get(env, "CONSUL_HTTP_ADDR");
            if (address != null && !address.contains("://") && "true".equalsIgnoreCase(get(env, "CONSUL_HTTP_SSL"))) {
                address = "https://" + address;
            }
        }
        ConsulConfig consul = new ConsulConfig(k.enabled(), address, or(k.token(), env, "CONSUL_HTTP_TOKEN"),
                or(k.datacenter(), env, "CONSUL_DATACENTER"), or(k.caFile(), env, "CONSUL_CACERT"), k.waitTime(),
                k.stale(), k.includeWarning(), k.watchAll(), k.snapshotFile(), k.configKey(), k.register());
        return new SwitchboardConfig(c.listen(), admin, c.upstream(), consul, c.services(), c.routes(), c.accessLog());
    }

    /** The file's value, else the environment's; a blank value in the file (${VAR:-}) counts as unset. */
    private static String or(String value, Function<String, String> env, String name) {
        return value != null && !value.isBlank() ? value : get(env, name);
    }

    private static String get(Function<String, String> env, String name) {
        String v = env.apply(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
