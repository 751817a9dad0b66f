package dev.switchboard.discovery.consul.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ports for a later (re)bind come from outside the ephemeral range, distinct and bindable. */
class LoopbackPortsTest {

    @Test
    void portsAreDistinctBindableAndOutsideTheEphemeralRange() throws Exception {
        int[] range = LoopbackPorts.ephemeralRange(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        int[] ports = LoopbackPorts.free(8, true);
        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(8);
        for (int port : ports) {
            if (range != null && (range[0] > 10_000 || range[1] < 65_535)) {
                assertThat(port).as("ephemeral range %d..%d", range[0], range[1])
                        .satisfiesAnyOf(p -> assertThat(p).isLessThan(range[0]), p -> assertThat(p).isGreaterThan(range[1]));
            }
            try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
                    DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                assertThat(tcp.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void anUnreadableOrOddRangeFileMeansNoRange(@TempDir Path dir) throws Exception {
        assertThat(LoopbackPorts.ephemeralRange(dir.resolve("absent"))).isNull();
        Path odd = Files.writeString(dir.resolve("odd"), "60999 32768\n");
        assertThat(LoopbackPorts.ephemeralRange(odd)).isNull();
        Path ok = Files.writeString(dir.resolve("ok"), "32768\t60999\n");
        assertThat(LoopbackPorts.ephemeralRange(ok)).containsExactly(32768, 60999);
    }
}
