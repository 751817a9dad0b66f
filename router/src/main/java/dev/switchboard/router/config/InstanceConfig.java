package dev.switchboard.router.config;

/**
 * A statically declared backend.
 *
 * @param address {@code host:port} (IPv6 as {@code [::1]:8080})
 * @param weight  relative weight, default 1
 */
public record InstanceConfig(String address, Integer weight) {
    public InstanceConfig {
        weight = weight != null ? weight : 1;
    }
}
