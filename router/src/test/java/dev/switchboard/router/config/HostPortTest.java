package dev.switchboard.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.5:8080, 10.0.0.5, 8080",
            "localhost:1, localhost, 1",
            "api.internal:65535, api.internal, 65535",
            "my_host-1.svc.cluster.local:80, my_host-1.svc.cluster.local, 80",
            "'[::1]:8080', ::1, 8080",
            "'[fe80::1%eth0]:80', fe80::1%eth0, 80",
            "'[::ffff:10.0.0.1]:443', ::ffff:10.0.0.1, 443",
            "host:007, host, 7"})
    void parsesHostAndPort(String address, String host, int port) {
        assertThat(HostPort.parse(address)).isEqualTo(new HostPort(host, port));
        assertThat(HostPort.check(address)).isNull();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "host", "host:", ":80", "host:0", "host:65536", "host:-1", "host:+80", "host:80a",
            "host:123456", "::1:80", "[::1]", "[::1]80", "[::1]:", "[]:80", "[::1:80", "[web.local]:80",
            "[10.0.0.1]:80", "256.0.0.1:80", "1.2.3.4444:80", "a b:80", "-host:80", "host-:80", "a..b:80", ".a:80",
            "http://host:80", "host:80/path", "ho$t:80"})
    void rejectsWithTheExpectation(String address) {
        assertThat(HostPort.check(address)).isEqualTo(HostPort.EXPECTED);
        assertThatThrownBy(() -> HostPort.parse(address))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(HostPort.EXPECTED);
    }

    @Test
    void rejectsOverlongInput() {
        String longHost = "a".repeat(63) + ("." + "a".repeat(63)).repeat(4);

        assertThat(HostPort.check(longHost + ":80")).isEqualTo(HostPort.EXPECTED);
        assertThat(HostPort.check("a".repeat(64) + ":80")).as("label over 63 characters").isEqualTo(HostPort.EXPECTED);
    }

    @Test
    void toStringIsTheParsableForm() {
        assertThat(new HostPort("::1", 80)).hasToString("[::1]:80");
        assertThat(new HostPort("10.0.0.1", 80)).hasToString("10.0.0.1:80");
        assertThat(HostPort.parse(HostPort.parse("[fd00::1]:9000").toString())).isEqualTo(new HostPort("fd00::1", 9000));
    }
}
