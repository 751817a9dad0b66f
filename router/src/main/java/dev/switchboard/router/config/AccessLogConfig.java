package dev.switchboard.router.config;

/**
 * Access log, written off the IO threads.
 *
 * @param enabled whether to write it (default false)
 * @param format  Undertow exchange-attribute pattern, or {@code common} / {@code combined}
 * @param output  {@code stdout} or a file path
 */
public record AccessLogConfig(Boolean enabled, String format, String output) {

    public static final AccessLogConfig DEFAULT = new AccessLogConfig(null, null, null);

    public AccessLogConfig {
        enabled = enabled != null ? enabled : false;
        format = format != null ? format : "combined";
        output = output != null ? output : "stdout";
    }
}
