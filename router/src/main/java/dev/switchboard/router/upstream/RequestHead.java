package dev.switchboard.router.upstream;

import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of a request head on its way to a backend, written straight from the client's request
 * without an intermediate header map. One instance per IO thread ({@link #forThisThread()}), reused
 * for every request: the bytes must be sent (or copied) before the thread builds the next head.
 * Header values are written one byte per char, which round-trips what Undertow parsed.
 */
public final class RequestHead {

    private static final ThreadLocal<RequestHead> PER_THREAD = ThreadLocal.withInitial(RequestHead::new);
    private static final byte[] HTTP11_CRLF = {' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n'};

    private byte[] bytes = new byte[4096];
    private ByteBuffer view = ByteBuffer.wrap(bytes);
    private int length;

    public static RequestHead forThisThread() {
        RequestHead head = PER_THREAD.get();
        head.length = 0;
        return head;
    }

    /** Writes {@code METHOD target HTTP/1.1}. */
    public RequestHead requestLine(HttpString method, String target) {
        name(method);
        put((byte) ' ');
        chars(target);
        put(HTTP11_CRLF);
        return this;
    }

    public RequestHead header(HttpString name, String value) {
        name(name);
        put((byte) ':');
        put((byte) ' ');
        chars(value);
        crlf();
        return this;
    }

    /** Every line of a header as received, in order. */
    public RequestHead header(HttpString name, HeaderValues values) {
        for (int i = 0; i < values.size(); i++) {
            header(name, values.get(i));
        }
        return this;
    }

    /** A header whose value is a number, written as decimal digits without making a String. */
    public RequestHead header(HttpString name, long value) {
        if (value < 0) {
            return header(name, Long.toString(value));
        }
        name(name);
        put((byte) ':');
        put((byte) ' ');
        ensure(20);
        int start = length;
        do {
            bytes[length++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value > 0);
        for (int i = start, j = length - 1; i < j; i++, j--) {
            byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
        crlf();
        return this;
    }

    /**
     * Ends the head with the empty line. The returned buffer is this thread's view of its array,
     * the same object every time: send or copy it before the thread builds the next head.
     */
    public ByteBuffer end() {
        crlf();
        if (view.array() != bytes) {
            view = ByteBuffer.wrap(bytes);
        }
        view.clear().limit(length);
        return view;
    }

    private void name(HttpString name) {
        int n = name.length();
        ensure(n);
        name.copyTo(0, bytes, length, n);
        length += n;
    }

    private void chars(String s) {
        int n = s.length();
        ensure(n);
        byte[] b = bytes;
        int at = length;
        for (int i = 0; i < n; i++) {
            b[at + i] = (byte) s.charAt(i);
        }
        length = at + n;
    }

    private void crlf() {
        ensure(2);
        bytes[length++] = '\r';
        bytes[length++] = '\n';
    }

    private void put(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
