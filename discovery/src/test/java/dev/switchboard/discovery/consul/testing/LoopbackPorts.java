package dev.switchboard.discovery.consul.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for a server that binds them later, or binds them again after a restart. They are
 * chosen outside the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}), so
 * no outgoing connection can take one as its local port meanwhile, as a port handed out by binding
 * port 0 can be. Each was bindable (TCP, and UDP if asked) when chosen. Where the range cannot be
 * read or leaves no room, ports come from binding port 0 as before.
 */
public final class LoopbackPorts {

    /** Unprivileged, and above most daemons' default ports. */
    private static final int LOWEST = 10_000;
    private static final int ATTEMPTS = 1000;
    private static final int[] EPHEMERAL = ephemeralRange(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));

    private LoopbackPorts() {
    }

    /** One free TCP port. */
    public static int one() {
        return free(1, false)[0];
    }

    /** {@code n} distinct ports, each bindable for TCP and, if {@code udp}, for UDP too (as Consul's serf ports). */
    public static int[] free(int n, boolean udp) {
        List<AutoCloseable> held = new ArrayList<>(); // held until all are chosen, so the n are distinct
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                ports[i] = outsideEphemeral(udp, held);
                if (ports[i] == 0) {
                    ports[i] = ephemeral(udp, held);
                }
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (AutoCloseable c : held) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing a probe socket cannot matter
                }
            }
        }
    }

    /** A random bindable port below or above the ephemeral range, or 0 if none was found. */
    private static int outsideEphemeral(boolean udp, List<AutoCloseable> held) {
        if (EPHEMERAL == null) {
            return 0;
        }
        int below = Math.max(0, EPHEMERAL[0] - LOWEST);
        int above = Math.max(0, 65_535 - EPHEMERAL[1]);
        if (below + above == 0) {
            return 0;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int k = random.nextInt(below + above);
            int port = k < below ? LOWEST + k : EPHEMERAL[1] + 1 + (k - below);
            if (tryBind(port, udp, held)) {
                return port;
            }
        }
        return 0;
    }

    private static boolean tryBind(int port, boolean udp, List<AutoCloseable> held) {
        ServerSocket tcp = null;
        try {
            tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
            if (udp) {
                held.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            }
            held.add(tcp);
            return true;
        } catch (IOException e) {
            if (tcp != null) {
                try {
                    tcp.close();
                } catch (IOException ignored) {
                    // a probe socket
                }
            }
            return false;
        }
    }

    /** The old way, where nothing else works: a port the kernel handed out, so an ephemeral one. */
    private static int ephemeral(boolean udp, List<AutoCloseable> held) throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            held.add(s);
            if (!udp) {
                return s.getLocalPort();
            }
            try {
                held.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort())));
                return s.getLocalPort();
            } catch (IOException e) {
                // that port's UDP side is taken: another
            }
        }
        throw new IOException("no free loopback port in " + ATTEMPTS + " attempts");
    }

    /** {@code [low, high]} from the kernel's file, or null where there is none or it makes no sense. */
    static int[] ephemeralRange(Path file) {
        try {
            String[] f = Files.readString(file).trim().split("\\s+");
            int low = Integer.parseInt(f[0]);
            int high = Integer.parseInt(f[1]);
            return f.length == 2 && 0 < low && low <= high && high <= 65_535 ? new int[] {low, high} : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
