package dev.switchboard.it.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One raw request on a fresh connection, and everything the router sent back until it closed the
 * connection or went quiet. Unlike {@code RawHttp} it never throws on a connection the router cut:
 * "closed without a response" is a result ({@link Reply#status()} -1), because for malformed input
 * that is one of the answers RFC 9112 allows.
 */
final class Wire {

    private Wire() {
    }

    /**
     * What came back.
     *
     * @param raw    every byte received, as ISO-8859-1 text
     * @param closed the router closed the connection (EOF or reset) before {@code quiet} passed
     */
    record Reply(String raw, boolean closed) {

        /** The status of the first response, or -1 if there was none. */
        int status() {
            if (!raw.startsWith("HTTP/1.")) {
                return -1;
            }
            int sp = raw.indexOf(' ');
            return Integer.parseInt(raw.substring(sp + 1, sp + 4));
        }

        /** Header of the first response (case-insensitive name), or null. */
        String header(String name) {
            int end = raw.indexOf("\r\n\r\n");
            String head = end < 0 ? raw : raw.substring(0, end);
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        /** Number of responses (status lines) received. */
        int responses() {
            int n = 0;
            for (int i = raw.indexOf("HTTP/1."); i >= 0; i = raw.indexOf("HTTP/1.", i + 1)) {
                n++;
            }
            return n;
        }

        /** Everything after the first head. */
        String body() {
            int end = raw.indexOf("\r\n\r\n");
            return end < 0 ? "" : raw.substring(end + 4);
        }

        /** True if the bytes show a stack trace, an exception name or a loopback/internal address. */
        boolean leaksInternals(String... alsoSecret) {
            String lower = raw.toLowerCase(Locale.ROOT);
            if (lower.contains("exception") || lower.contains("\tat ") || lower.contains("at io.undertow")
                    || lower.contains("at dev.switchboard") || lower.contains("127.0.0.1") || lower.contains("localhost")
                    || lower.contains("java.")) {
                return true;
            }
            for (String s : alsoSecret) {
                if (raw.contains(s)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return (closed ? "[closed] " : "[open] ") + raw.replace("\r\n", "\\r\\n");
        }
    }

    /** Sends {@code request} and reads until the router closes or nothing arrives for {@code quietMillis}. */
    static Reply exchange(int port, String request, int quietMillis) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), quietMillis);
    }

    static Reply exchange(int port, byte[] request, int quietMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(quietMillis);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (SocketException e) {
                // The router may cut a hostile request before it is fully written; read what it said.
            }
            return readUntilQuiet(socket.getInputStream());
        }
    }

    /** Reads until EOF (closed) or a read timeout (still open); a reset counts as closed. */
    static Reply readUntilQuiet(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        boolean closed;
        try {
            for (int n; ; ) {
                n = in.read(buf);
                if (n < 0) {
                    closed = true;
                    break;
                }
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (SocketException e) {
            closed = true;
        }
        return new Reply(got.toString(StandardCharsets.ISO_8859_1), closed);
    }
}
