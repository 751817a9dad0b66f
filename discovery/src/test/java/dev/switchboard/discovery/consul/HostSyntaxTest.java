package dev.switchboard.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which Consul addresses name a host, decided without DNS. */
class HostSyntaxTest {

    @Test
    void ipLiteralsAndHostNamesAreKept() {
        for (String ok : new String[] {"10.0.0.1", "255.255.255.255", "0.0.0.0", "::1", "fe80::1%eth0",
                "::ffff:10.0.0.1", "2001:db8::8a2e:370:7334", "localhost", "web-1.service.consul", "my_service_1",
                "host.example.", "xn--bcher-kva.example", "a".repeat(63) + ".example"}) {
            assertThat(HostSyntax.normalize(ok)).as(ok).isEqualTo(ok);
        }
    }

    @Test
    void bracketedIpv6LosesItsBrackets() {
        assertThat(HostSyntax.normalize("[::1]")).isEqualTo("::1");
        assertThat(HostSyntax.normalize("[fe80::1%eth0]")).isEqualTo("fe80::1%eth0");
    }

    @Test
    void whatConsulAcceptsButNamesNoHostIsRejected() {
        for (String bad : new String[] {"", "not a host", "10.0.0.1:8080", "http://10.0.0.1/", "../../etc", "999.1.1.1",
                "1.2.3", "1.2.3.4.5", "010.0.0.1", "123", "bücher.example", "-bad-", "bad-.example", "a..b", ".",
                "a".repeat(64) + ".example", "a.".repeat(127) + "ab", "host\u0000x", "x\ny", "[10.0.0.1]", "[]",
                "[::1", "::zz", ":", "fe80::1%", "fe80::1%et h0", "g::1"}) {
            assertThat(HostSyntax.normalize(bad)).as("'%s'", bad).isNull();
        }
    }
}
