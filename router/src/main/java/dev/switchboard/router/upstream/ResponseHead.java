package dev.switchboard.router.upstream;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A backend's response head, parsed from the connection's read buffer straight into the client
 * exchange's response headers. Hop-by-hop headers (RFC 9110 §7.6.1: the fixed set and any named in
 * {@code Connection}) are interpreted for framing and keep-alive but not copied; an upgrade's
 * {@code 101} keeps {@code Connection: upgrade} and {@code Upgrade}. Strict where a lenient reading
 * would let a backend smuggle: obsolete line folding, whitespace before a colon, conflicting
 * {@code Content-Length}s and non-token header names make the response invalid.
 */
public final class ResponseHead {

    /** How the body that follows is delimited. */
    public enum Framing { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final HttpString PROXY_CONNECTION = new HttpString("Proxy-Connection");
    // Names the parser acts on, by index into KNOWN; then the other hop-by-hop names (dropped); then
    // common end-to-end names, shared rather than allocated per response.
    private static final int CONTENT_LENGTH = 0;
    private static final int TRANSFER_ENCODING = 1;
    private static final int CONNECTION = 2;
    private static final int UPGRADE = 3;
    private static final int FIRST_END_TO_END = 10;
    private static final HttpString[] KNOWN = {
        Headers.CONTENT_LENGTH, Headers.TRANSFER_ENCODING, Headers.CONNECTION, Headers.UPGRADE,
        Headers.KEEP_ALIVE, PROXY_CONNECTION, Headers.TE, Headers.TRAILER, Headers.PROXY_AUTHENTICATE,
        Headers.PROXY_AUTHORIZATION,
        Headers.CONTENT_TYPE, Headers.DATE, Headers.SERVER, Headers.CACHE_CONTROL, Headers.ETAG,
        Headers.LAST_MODIFIED, Headers.SET_COOKIE, Headers.LOCATION, Headers.VARY, Headers.CONTENT_ENCODING,
        Headers.ACCEPT_RANGES, Headers.EXPIRES, Headers.AGE, Headers.PRAGMA, Headers.CONTENT_LANGUAGE,
        Headers.CONTENT_RANGE, Headers.CONTENT_DISPOSITION, Headers.WWW_AUTHENTICATE, Headers.RETRY_AFTER,
        Headers.STRICT_TRANSPORT_SECURITY,
    };
    /** Indices into KNOWN by name length. */
    private static final int[][] KNOWN_BY_LENGTH = new int[64][];
    /** Each KNOWN name's bytes with bit 0x20 set: lower case letters, '-' as it is. */
    private static final byte[][] KNOWN_FOLDED = new byte[KNOWN.length][];
    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (int len = 0; len < KNOWN_BY_LENGTH.length; len++) {
            int n = len;
            KNOWN_BY_LENGTH[len] = java.util.stream.IntStream.range(0, KNOWN.length)
                    .filter(i -> KNOWN[i].length() == n).toArray();
        }
        for (int i = 0; i < KNOWN.length; i++) {
            byte[] folded = new byte[KNOWN[i].length()];
            for (int j = 0; j < folded.length; j++) {
                folded[j] = (byte) (KNOWN[i].byteAt(j) | 0x20);
            }
            KNOWN_FOLDED[i] = folded;
        }
        for (int c = 0; c < 256; c++) {
            TOKEN[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }

    private int status;
    private String reason;
    private Framing framing;
    private long contentLength = -1;
    private boolean keepAlive;
    private String upgradeProtocol;

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /**
     * The reason phrase when it differs from the standard one for the status (which the client's
     * response gets by default), else null: most responses then need no phrase of their own.
     */
    public String customReason() {
        return reason.isEmpty() || reason == StatusCodes.getReason(status) ? null : reason;
    }

    public Framing framing() {
        return framing;
    }

    public long contentLength() {
        return contentLength;
    }

    /** Whether the connection may carry another request after this response's body. */
    public boolean keepAlive() {
        return keepAlive && framing != Framing.UNTIL_CLOSE;
    }

    /**
     * Parses the next response head in {@code buf} (between position and limit). Returns
     * {@code null} when the head is not complete yet (the buffer is left as it was); otherwise
     * consumes the head's bytes. Interim {@code 1xx} responses other than {@code 101} are consumed
     * and skipped. Headers go into {@code out}.
     *
     * @param headRequest the request was {@code HEAD}: no body follows whatever the headers say
     * @param upgradeRequested the request asked for a protocol upgrade, so {@code 101} is allowed
     */
    public static ResponseHead parse(ByteBuffer buf, HeaderMap out, boolean headRequest, boolean upgradeRequested)
            throws InvalidResponseException {
        Scratch scratch = SCRATCH.get();
        byte[] b = scratch.bytes;
        for (;;) {
            // Scanned in a heap copy: per-byte reads of the direct read buffer cost a bounds and
            // scope check each. A head usually fits the first KiB; a body behind it is not copied.
            int start = buf.position();
            int available = Math.min(buf.remaining(), b.length);
            int copied = Math.min(available, FIRST_COPY);
            buf.get(start, b, 0, copied);
            checkPrefix(b, copied);
            int length = endOfHead(b, copied);
            if (length < 0 && copied < available) {
                buf.get(start + copied, b, copied, available - copied);
                copied = available;
                length = endOfHead(b, copied);
            }
            if (length < 0) {
                if (buf.remaining() >= buf.capacity() || buf.remaining() >= b.length) {
                    throw new InvalidResponseException("response head larger than " + Math.min(buf.capacity(), b.length) + " bytes");
                }
                return null;
            }
            buf.position(start + length);
            ResponseHead head = new ResponseHead();
            int at = head.statusLine(b, length);
            boolean interim = head.status >= 100 && head.status < 200 && head.status != 101;
            head.headers(b, at, length, interim ? null : out, scratch);
            if (interim) {
                continue;
            }
            if (head.status == 101 && !upgradeRequested) {
                throw new InvalidResponseException("101 Switching Protocols without an upgrade request");
            }
            head.decideFraming(headRequest, out);
            return head;
        }
    }

    private static final int FIRST_COPY = 1024;
    /** Longer values are not kept for sharing, so a thread holds at most a few KiB of them. */
    private static final int MAX_SHARED_VALUE = 256;
    private static final byte[] PREFIX = {'H', 'T', 'T', 'P', '/', '1', '.'};

    /**
     * Fails as soon as the first bytes cannot start a status line, so a backend that answers with
     * something else (a banner, TLS) and keeps the connection open costs no response timeout.
     */
    private static void checkPrefix(byte[] b, int available) throws InvalidResponseException {
        int n = Math.min(available, PREFIX.length + 2);
        for (int i = 0; i < n; i++) {
            byte c = b[i];
            boolean ok = i < PREFIX.length ? c == PREFIX[i] : i == PREFIX.length ? c == '0' || c == '1' : c == ' ';
            if (!ok) {
                throw new InvalidResponseException("invalid status line");
            }
        }
    }

    /** Length of the head up to and including the empty line that ends it, or -1. Accepts bare LF line ends. */
    private static int endOfHead(byte[] b, int limit) {
        for (int i = ByteScan.lineFeed(b, 0, limit); i < limit; i = ByteScan.lineFeed(b, i + 1, limit)) {
            if (i + 1 < limit && b[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < limit && b[i + 1] == '\r' && b[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    private int statusLine(byte[] b, int length) throws InvalidResponseException {
        // HTTP/1.x SP 3DIGIT [SP reason] CRLF; checkPrefix already vouched for "HTTP/1.x " in what is there
        if (length < 12 || !digit(b[9]) || !digit(b[10]) || !digit(b[11])) {
            throw new InvalidResponseException("invalid status line");
        }
        keepAlive = b[7] == '1';
        status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
        if (status < 100) {
            throw new InvalidResponseException("invalid status " + status);
        }
        int eol = lineEnd(b, 12, length);
        if (eol == 12) {
            reason = "";
        } else if (b[12] != ' ') {
            throw new InvalidResponseException("invalid status line");
        } else {
            int reasonEnd = eol;
            if (ByteScan.controlButTab(b, 13, reasonEnd) < reasonEnd) {
                throw new InvalidResponseException("control character in the reason phrase");
            }
            String standard = StatusCodes.getReason(status);
            reason = eol == 13 ? ""
                    : sameText(standard, b, 13, reasonEnd) ? standard
                    : new String(b, 13, reasonEnd - 13, StandardCharsets.ISO_8859_1);
        }
        return skipEol(b, eol);
    }

    private void headers(byte[] b, int at, int length, HeaderMap out, Scratch scratch) throws InvalidResponseException {
        boolean lastChunked = false;
        // One pass over each line: the name up to the colon, then the value up to the line end.
        // endOfHead vouched for the empty line that ends the head, so every scan meets an LF.
        while (at < length) {
            byte first = b[at];
            if (first == '\n' || first == '\r' && b[at + 1] == '\n') {
                return;
            }
            if (first == ' ' || first == '\t') {
                throw new InvalidResponseException("obsolete line folding in a response header");
            }
            int nameStart = at;
            int colon = at;
            for (byte c; (c = b[colon]) != ':'; colon++) {
                if (!TOKEN[c & 0xFF]) {
                    throw new InvalidResponseException(c == '\r' || c == '\n'
                            ? "response header line without a name and colon"
                            : "invalid character in a response header name");
                }
            }
            if (colon == at) {
                throw new InvalidResponseException("response header line without a name and colon");
            }
            int vs = colon + 1;
            while (b[vs] == ' ' || b[vs] == '\t') {
                vs++;
            }
            int eol = ByteScan.controlButTab(b, vs, length);
            if (b[eol] != '\n' && !(b[eol] == '\r' && b[eol + 1] == '\n')) {
                throw new InvalidResponseException("control character in a response header value");
            }
            int ve = eol;
            while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
                ve--;
            }
            int known = knownIndex(b, at, colon - at);
            String value;
            byte[] last = known >= 0 ? scratch.lastBytes[known] : null;
            if (last != null && Arrays.equals(b, vs, ve, last, 0, last.length)) {
                value = scratch.lastValues[known];
            } else {
                value = new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1);
                if (known >= 0 && ve - vs <= MAX_SHARED_VALUE) {
                    scratch.lastValues[known] = value;
                    scratch.lastBytes[known] = Arrays.copyOfRange(b, vs, ve);
                }
            }
            at = skipEol(b, eol);
            switch (known) {
                case CONTENT_LENGTH -> {
                    long n = contentLengthOf(value);
                    if (contentLength >= 0 && n != contentLength) {
                        throw new InvalidResponseException("conflicting Content-Length headers");
                    }
                    if (contentLength < 0 && out != null) {
                        out.put(Headers.CONTENT_LENGTH, value);
                    }
                    contentLength = n;
                }
                case TRANSFER_ENCODING -> {
                    for (long coding = CommaList.first(value); coding >= 0; coding = CommaList.next(value, coding)) {
                        if (transferCoded || !CommaList.is(value, coding, "chunked")) {
                            // Only chunked is understood, once (as nginx): relaying gzip-coded bytes as
                            // plainly chunked, or reading "identity" until close, would corrupt the body.
                            // Refused in decideFraming, where it is known whether a body follows.
                            unsupportedCoding = value;
                        }
                        transferCoded = true;
                        lastChunked = true;
                    }
                    // chunked must be the final coding to delimit the body (RFC 9112 §6.3)
                    chunked = lastChunked;
                }
                case CONNECTION -> connectionValue = connectionValue == null ? value : connectionValue + "," + value;
                case UPGRADE -> upgradeProtocol = value;
                default -> {
                    if (out != null && (known < 0 || known >= FIRST_END_TO_END)) {
                        out.add(known < 0 ? new HttpString(b, nameStart, colon - nameStart) : KNOWN[known], value);
                    }
                }
            }
        }
    }

    private String connectionValue;
    private boolean chunked;
    private boolean transferCoded;

    private String unsupportedCoding;

    private void decideFraming(boolean headRequest, HeaderMap out) throws InvalidResponseException {
        if (unsupportedCoding != null && !(headRequest || status == 204 || status == 304)) {
            throw new InvalidResponseException("unsupported Transfer-Encoding \"" + unsupportedCoding + "\" (only chunked, once)");
        }
        if (connectionValue != null) {
            String options = connectionValue;
            for (long option = CommaList.first(options); option >= 0; option = CommaList.next(options, option)) {
                if (CommaList.is(options, option, "close")) {
                    keepAlive = false;
                } else if (CommaList.is(options, option, "keep-alive")) {
                    keepAlive = true; // an HTTP/1.0 backend asking to keep the connection
                } else if (!CommaList.is(options, option, "upgrade") && !CommaList.is(options, option, "content-length")) {
                    out.remove(CommaList.element(options, option)); // listed in Connection: hop-by-hop for this message
                }
            }
        }
        if (status == 101) {
            framing = Framing.NONE;
            keepAlive = false;
            out.put(Headers.CONNECTION, "upgrade");
            if (upgradeProtocol != null) {
                out.put(Headers.UPGRADE, upgradeProtocol);
            }
            return;
        }
        if (transferCoded) {
            // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length, which must not be forwarded.
            out.remove(Headers.CONTENT_LENGTH);
        }
        if (headRequest || status == 204 || status == 304) {
            framing = Framing.NONE;
        } else if (transferCoded) {
            framing = chunked ? Framing.CHUNKED : Framing.UNTIL_CLOSE;
        } else if (contentLength >= 0) {
            framing = contentLength == 0 ? Framing.NONE : Framing.LENGTH;
        } else {
            framing = Framing.UNTIL_CLOSE;
        }
    }

    private static long contentLengthOf(String value) throws InvalidResponseException {
        int n = value.length();
        if (n == 0 || n > 18) {
            throw new InvalidResponseException("invalid Content-Length");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidResponseException("invalid Content-Length");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Whether {@code b[from, to)} is exactly {@code text} (ASCII). */
    private static boolean sameText(String text, byte[] b, int from, int to) {
        if (to - from != text.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (b[i] != text.charAt(i - from)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Index in KNOWN of the header name at {@code b[at, at+len)} (any case), or -1. The name's bytes
     * are token characters (checked by the caller), and among those only a letter's two cases
     * fold to a letter, and only '-' folds to '-', so comparing folded bytes is a case-blind match.
     */
    private static int knownIndex(byte[] b, int at, int len) {
        if (len >= KNOWN_BY_LENGTH.length) {
            return -1;
        }
        for (int i : KNOWN_BY_LENGTH[len]) {
            byte[] known = KNOWN_FOLDED[i];
            int j = 0;
            while (j < len && (b[at + j] | 0x20) == known[j]) {
                j++;
            }
            if (j == len) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the line's end (its CR, or LF if bare) starting the scan at {@code from}. */
    private static int lineEnd(byte[] b, int from, int length) {
        for (int i = from; i < length; i++) {
            if (b[i] == '\n') {
                return i > from && b[i - 1] == '\r' ? i - 1 : i;
            }
        }
        return length;
    }

    private static int skipEol(byte[] b, int eol) {
        return b[eol] == '\r' ? eol + 2 : eol + 1;
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Per IO thread: the copy of the head being parsed, and the last value seen for each known
     * header name. A backend repeats most values response after response (server, type, length,
     * validators; the date for a second), so those are shared instead of allocated each time.
     */
    private static final class Scratch {
        final byte[] bytes = new byte[16 * 1024];
        final String[] lastValues = new String[KNOWN.length];
        /** The bytes of each of lastValues, for a vectorized comparison. */
        final byte[][] lastBytes = new byte[KNOWN.length][];
    }
}
