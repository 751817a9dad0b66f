package dev.switchboard.it.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on a plain {@link ServerSocket} that reads each request head and answers with fixed
 * bytes, then closes the connection (or holds it open): for answers no real HTTP server would give (garbage, a body
 * shorter than its Content-Length). One thread per connection; bounded by the test's own load.
 */
final class RawBackend implements AutoCloseable {

    private final ServerSocket server;
    private final byte[] answer;
    private final boolean holdOpen;
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private RawBackend(byte[] answer, boolean holdOpen) throws IOException {
        this.answer = answer;
        this.holdOpen = holdOpen;
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "raw-backend-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers every request with {@code answer} (ISO-8859-1) and closes. */
    static RawBackend answering(String answer) throws IOException {
        return new RawBackend(answer.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    /** Answers every request with {@code answer} and then keeps the connection open until the router closes it. */
    static RawBackend answeringAndHolding(String answer) throws IOException {
        return new RawBackend(answer.getBytes(StandardCharsets.ISO_8859_1), true);
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    int requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "raw-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(10_000);
            if (readHead(s.getInputStream())) {
                requests.incrementAndGet();
                s.getOutputStream().write(answer);
                s.getOutputStream().flush();
                if (holdOpen) {
                    s.setSoTimeout(0);
                    while (s.getInputStream().read() >= 0) {
                        // hold until the router closes (or close() below)
                    }
                }
            }
        } catch (IOException e) {
            // the router went away first; nothing to do
        } finally {
            open.remove(s);
        }
    }

    /** Reads up to the blank line that ends a request head; false on EOF before it. */
    private static boolean readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int c; (c = in.read()) >= 0; ) {
            head.write(c);
            matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
            if (matched == 4) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
