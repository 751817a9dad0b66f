package dev.switchboard.router.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 health request over a plain blocking socket: connect, send the request with
 * {@code Host: host:port}, {@code User-Agent: switchboard-health} and {@code Connection: close}, read
 * the status line, close. The whole exchange must finish within the timeout. Runs only on the
 * checker's own threads. Plain sockets rather than {@code java.net.http.HttpClient}: that client
 * forbids setting {@code Host} and keeps threads of its own.
 */
final class HttpProbe {

    /** One check's verdict; {@code detail} says why it failed, for the report. */
    record Result(boolean passed, int status, String detail) {
    }

    static final String USER_AGENT = "switchboard-health";
    private static final int MAX_STATUS_LINE = 8 * 1024;
    private static final int MAX_DRAIN = 64 * 1024;

    private final String method;
    private final String path;
    private final ExpectedStatus expected;
    private final long timeoutNanos;

    HttpProbe(String method, String path, ExpectedStatus expected, Duration timeout) {
        if (method == null || !method.matches("[A-Z]{1,20}")) {
            throw new IllegalArgumentException("activeCheck.method: \"" + method + "\" (expected: an HTTP method such as GET)");
        }
        if (path == null || !path.startsWith("/") || !path.matches("\\S+")) {
            throw new IllegalArgumentException("activeCheck.path: \"" + path + "\" (expected: starts with /, no spaces)");
        }
        this.method = method;
        this.path = path;
        this.expected = expected;
        this.timeoutNanos = CircuitBreaker.requirePositive("activeCheck.timeout", timeout);
    }

    Result check(String host, int port) {
        long deadline = System.nanoTime() + timeoutNanos;
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), remainingMillis(deadline));
            OutputStream out = socket.getOutputStream();
            out.write(request(host, port));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = readLine(socket, in, deadline);
            int status = parseStatus(statusLine);
            drainAvailable(in);
            if (status < 0) {
                return new Result(false, -1, "malformed status line \"" + abbreviate(statusLine) + "\"");
            }
            return expected.matches(status)
                    ? new Result(true, status, "status " + status)
                    : new Result(false, status, "status " + status + " (expected " + expected + ")");
        } catch (SocketTimeoutException e) {
            return new Result(false, -1, "timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        } catch (ConnectException e) {
            return new Result(false, -1, "connect failed: " + e.getMessage());
        } catch (UnknownHostException e) {
            return new Result(false, -1, "unknown host " + host);
        } catch (IOException e) {
            return new Result(false, -1, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private byte[] request(String host, int port) {
        String hostPort = (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        StringBuilder sb = new StringBuilder(160)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostPort).append("\r\n")
                .append("User-Agent: ").append(USER_AGENT).append("\r\n")
                .append("Accept: */*\r\n")
                .append("Connection: close\r\n");
        if (!method.equals("GET") && !method.equals("HEAD")) {
            sb.append("Content-Length: 0\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String readLine(Socket socket, InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        byte[] one = new byte[1];
        while (line.size() < MAX_STATUS_LINE) {
            socket.setSoTimeout(remainingMillis(deadline));
            int n = in.read(one);
            if (n < 0) {
                if (line.size() == 0) {
                    throw new IOException("connection closed before a response");
                }
                break;
            }
            if (one[0] == '\n') {
                break;
            }
            line.write(one[0]);
        }
        return line.toString(StandardCharsets.ISO_8859_1).trim();
    }

    /** {@code HTTP/1.x NNN ...} to NNN, or -1. */
    static int parseStatus(String line) {
        if (!line.startsWith("HTTP/") || line.length() < 12 || line.charAt(8) != ' ') {
            return -1;
        }
        for (int i = 9; i < 12; i++) {
            if (!Character.isDigit(line.charAt(i))) {
                return -1;
            }
        }
        if (line.length() > 12 && line.charAt(12) != ' ') {
            return -1;
        }
        return Integer.parseInt(line.substring(9, 12));
    }

    /** Reads what already arrived, so that closing does not reset the connection; never blocks. */
    private static void drainAvailable(InputStream in) {
        try {
            byte[] buf = new byte[4096];
            int drained = 0;
            int n;
            while (drained < MAX_DRAIN && (n = in.available()) > 0) {
                int r = in.read(buf, 0, Math.min(n, buf.length));
                if (r < 0) {
                    return;
                }
                drained += r;
            }
        } catch (IOException ignored) {
            // the status is known; the rest of the response does not matter
        }
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remaining)));
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
