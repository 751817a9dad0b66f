package dev.switchboard.it.consulfaults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault-injecting HTTP proxy between the router and the REAL Consul agent (it never makes up an
 * answer other than its 500). One request per client connection: the request goes to the agent
 * with {@code Connection: close} and the agent's bytes come back verbatim, so every response is
 * framed by Consul itself. The mode is read when a request arrives and again when the agent's
 * answer is ready, so a switch also hits blocking queries already in flight:
 * <ul>
 *   <li>{@link Mode#PASS}: forward.</li>
 *   <li>{@link Mode#ERROR_500}: answer {@code 500} at once; requests waiting on the agent are
 *       answered {@code 500} the moment the mode is switched on. {@link #answer500(String)} limits
 *       this to requests whose path starts with a prefix; the others are forwarded.</li>
 *   <li>{@link Mode#DELAY}: forward, but hold each answer for the configured time.</li>
 *   <li>{@link Mode#HANG}: accept and read, answer nothing; held requests and held answers go on
 *       (under the then current mode) when the mode changes, like an agent that froze and came back.</li>
 * </ul>
 */
final class ConsulFaultProxy implements AutoCloseable {

    enum Mode { PASS, ERROR_500, DELAY, HANG }

    private static final byte[] ERROR_500 = ("HTTP/1.1 500 Internal Server Error\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 15\r\nConnection: close\r\n\r\n"
            + "fault injected\n").getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEAD = 64 * 1024;

    private final String upstreamHost;
    private final int upstreamPort;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "consul-fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Set<Exchange> open = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private Mode mode = Mode.PASS;
    private long delayMillis;
    private volatile String faultedPrefix = "/";
    private final AtomicLong firstAnswerNanos = new AtomicLong();
    private volatile boolean closed;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong delayed = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    private final AtomicInteger pausing = new AtomicInteger();

    private ConsulFaultProxy(String upstream) throws IOException {
        int colon = upstream.lastIndexOf(':');
        this.upstreamHost = upstream.substring(0, colon);
        this.upstreamPort = Integer.parseInt(upstream.substring(colon + 1));
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        threads.submit(this::acceptLoop);
    }

    /** A proxy on a free loopback port in front of the agent at {@code upstream} ({@code host:port}). */
    static ConsulFaultProxy start(String upstream) throws IOException {
        return new ConsulFaultProxy(upstream);
    }

    /** {@code 127.0.0.1:port}, for the router's {@code consul.address}. */
    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    void pass() {
        switchTo(Mode.PASS, 0);
    }

    void answer500() {
        answer500("/");
    }

    /** Answers 500 to requests whose path (without the query) starts with {@code pathPrefix}; forwards the others. */
    void answer500(String pathPrefix) {
        faultedPrefix = pathPrefix;
        switchTo(Mode.ERROR_500, 0);
        for (Exchange x : open) {
            if (x.waitingOnAgent && x.path.startsWith(pathPrefix)) {
                x.fail();
            }
        }
    }

    void delay(Duration each) {
        switchTo(Mode.DELAY, each.toMillis());
    }

    void hang() {
        switchTo(Mode.HANG, 0);
    }

    private void switchTo(Mode next, long delay) {
        synchronized (lock) {
            mode = next;
            delayMillis = delay;
            lock.notifyAll();
        }
        firstAnswerNanos.set(0);
    }

    /**
     * {@link System#nanoTime()} when the first answer of the agent was forwarded after the last mode
     * switch, 0 if none yet (with {@link #answer500(String)}, answers on other paths count).
     */
    long firstAnswerSinceSwitch() {
        return firstAnswerNanos.get();
    }

    /** Requests received, answers forwarded, 500s sent, answers delayed, requests or answers held by a hang. */
    String stats() {
        return String.format("%d requests to the proxy: %d forwarded, %d answered 500, %d delayed, %d held by a hang",
                requests.get(), forwarded.get(), failed.get(), delayed.get(), held.get());
    }

    long answered500() {
        return failed.get();
    }

    long delayedAnswers() {
        return delayed.get();
    }

    long heldByHang() {
        return held.get();
    }

    /** Answers sitting out their delay right now (a switch away from DELAY does not cut it short). */
    int answersBeingDelayed() {
        return pausing.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                threads.submit(() -> serve(new Exchange(client)));
            } catch (IOException e) {
                if (!closed) {
                    System.out.println("consul fault proxy: accept failed: " + e);
                }
            }
        }
    }

    private void serve(Exchange x) {
        open.add(x);
        try {
            byte[] request = readRequest(x.client.getInputStream());
            if (request == null) {
                return;
            }
            requests.incrementAndGet();
            x.path = pathOf(request);
            if (awaitNotHanging() == Mode.ERROR_500 && x.path.startsWith(faultedPrefix)) {
                x.fail();
                return;
            }
            byte[] response = x.forward(request);
            Mode m = awaitNotHanging();
            if (m == Mode.ERROR_500 && x.path.startsWith(faultedPrefix)) {
                x.fail();
                return;
            }
            if (m == Mode.DELAY) {
                delayed.incrementAndGet();
                pausing.incrementAndGet();
                try {
                    pause();
                } finally {
                    pausing.decrementAndGet();
                }
            }
            if (x.answer(response)) {
                forwarded.incrementAndGet();
                firstAnswerNanos.compareAndSet(0, System.nanoTime());
            }
        } catch (IOException e) {
            // the client gave up, the agent went away, or the exchange was cut by a 500: nothing to forward
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(x);
            x.close();
        }
    }

    /** The current mode once it is not {@link Mode#HANG}; counts a hold. */
    private Mode awaitNotHanging() throws InterruptedException {
        synchronized (lock) {
            if (mode == Mode.HANG) {
                held.incrementAndGet();
            }
            while (mode == Mode.HANG && !closed) {
                lock.wait();
            }
            return mode;
        }
    }

    /** The injected delay itself (the fault, not a synchronization): holds this answer for the delay. */
    private void pause() throws InterruptedException {
        synchronized (lock) {
            long until = System.nanoTime() + delayMillis * 1_000_000;
            long left;
            while (!closed && (left = until - System.nanoTime()) > 0) {
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /**
     * Reads one request (head and a {@code Content-Length} body) and returns it with
     * {@code Connection: close}; null if the client closed first.
     */
    private static byte[] readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD) {
                throw new IOException("request head over " + MAX_HEAD + " bytes");
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        StringBuilder out = new StringBuilder(lines[0]).append("\r\n");
        long length = 0;
        for (int i = 1; i < lines.length; i++) {
            String name = lines[i].substring(0, Math.max(0, lines[i].indexOf(':'))).strip().toLowerCase(Locale.ROOT);
            if (name.equals("connection") || name.equals("keep-alive")) {
                continue;
            }
            if (name.equals("content-length")) {
                length = Long.parseLong(lines[i].substring(lines[i].indexOf(':') + 1).strip());
            }
            out.append(lines[i]).append("\r\n");
        }
        out.append("Connection: close\r\n\r\n");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
        request.write(in.readNBytes((int) length));
        return request.toByteArray();
    }

    /** The path of the request line, without the query. */
    private static String pathOf(byte[] request) {
        String line = new String(request, 0, Math.min(request.length, 8192), StandardCharsets.ISO_8859_1);
        String[] parts = line.substring(0, Math.max(0, line.indexOf("\r\n"))).split(" ");
        String target = parts.length > 1 ? parts[1] : "";
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        server.close();
        open.forEach(Exchange::close);
        threads.shutdownNow();
    }

    /** One client connection, the agent connection made for it, and whether it has been answered. */
    private final class Exchange {
        final Socket client;
        final AtomicBoolean answered = new AtomicBoolean();
        volatile Socket agent;
        volatile boolean waitingOnAgent;
        volatile String path = "";

        Exchange(Socket client) {
            this.client = client;
        }

        /** Sends the request to the agent and reads its whole answer (the agent closes after it). */
        byte[] forward(byte[] request) throws IOException {
            Socket s = new Socket();
            agent = s;
            waitingOnAgent = true;
            try {
                s.connect(new InetSocketAddress(upstreamHost, upstreamPort), 5_000);
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
                return s.getInputStream().readAllBytes();
            } finally {
                waitingOnAgent = false;
                s.close();
            }
        }

        /** Answers with {@code bytes} unless already answered; true if these bytes were sent. */
        boolean answer(byte[] bytes) {
            if (!answered.compareAndSet(false, true)) {
                return false;
            }
            try {
                OutputStream out = client.getOutputStream();
                out.write(bytes);
                out.flush();
                return true;
            } catch (IOException e) {
                return false; // the client is gone
            } finally {
                close();
            }
        }

        void fail() {
            if (answer(ERROR_500)) {
                failed.incrementAndGet();
            }
        }

        void close() {
            closeQuietly(client);
            Socket a = agent;
            if (a != null) {
                closeQuietly(a);
            }
        }

        private void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
    }
}
