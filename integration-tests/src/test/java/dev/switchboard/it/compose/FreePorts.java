package dev.switchboard.it.compose;

import dev.switchboard.discovery.consul.testing.LoopbackPorts;
import java.io.IOException;
import java.net.ServerSocket;

/** A loopback port that was free a moment ago, outside the ephemeral range (see {@link LoopbackPorts}). */
public final class FreePorts {

    private FreePorts() {
    }

    public static int one() {
        return LoopbackPorts.one(); // bound later by another process: no outgoing connection may take it meanwhile
    }

    /** Whether nothing listens on {@code port} on any address (binds the wildcard, as the router would). */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
