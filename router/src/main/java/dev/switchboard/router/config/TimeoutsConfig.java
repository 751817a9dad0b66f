package dev.switchboard.router.config;

import java.time.Duration;

/**
 * Timeouts toward a backend. A null field inherits from the enclosing level
 * (route, then service, then {@code upstream.timeouts}).
 *
 * @param connect  TCP connect
 * @param response from the request being sent to the first byte of the response head
 * @param idle     no bytes in either direction for this long while a response streams
 */
public record TimeoutsConfig(Duration connect, Duration response, Duration idle) {

    public static final TimeoutsConfig GLOBAL_DEFAULT =
            new TimeoutsConfig(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(60));

    public static final TimeoutsConfig INHERIT = new TimeoutsConfig(null, null, null);

    /** This with each field replaced by {@code other}'s where {@code other}'s is set. */
    public TimeoutsConfig overriddenBy(TimeoutsConfig other) {
        if (other == null) {
            return this;
        }
        return new TimeoutsConfig(
                other.connect != null ? other.connect : connect,
                other.response != null ? other.response : response,
                other.idle != null ? other.idle : idle);
    }
}
