package dev.switchboard.it.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate process that holds many idle client connections to the router, so that the router's
 * JVM (the test's) spends its file descriptors only on its own side of them. Protocol on stdio:
 * prints {@code OPEN <n>} once all are connected (or {@code FAILED <n> <reason>}), then waits for a
 * line {@code close} (or end of input), closes every socket and prints {@code CLOSED}.
 *
 * <p>Usage: {@code java -cp <test classpath> dev.switchboard.it.faults.IdleClients <port> <count>}
 */
public final class IdleClients {

    private IdleClients() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        List<Socket> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                sockets.add(s);
            }
            System.out.println("OPEN " + sockets.size());
        } catch (IOException e) {
            System.out.println("FAILED " + sockets.size() + " " + e);
        }
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.trim().equals("close"); ) {
            // wait for the command
        }
        for (Socket s : sockets) {
            s.close();
        }
        System.out.println("CLOSED");
        System.out.flush();
    }
}
