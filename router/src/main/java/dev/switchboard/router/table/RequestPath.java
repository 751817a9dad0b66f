package dev.switchboard.router.table;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated, normalized request path, or the reason it was rejected. Callers answer a rejection
 * with 400 and {@link #reason()}.
 *
 * <p>Input is the raw, still percent-encoded request target without query, as Undertow's
 * {@code HttpServerExchange#getRequestURI()} gives it: origin-form ({@code /a/b}) or absolute-form
 * ({@code http://host/a/b}, whose scheme and authority are dropped). Anything from a {@code ?} on is
 * ignored. The rules, in order:
 * <ol>
 *   <li>The path must start with {@code /} (after dropping an absolute-form scheme and authority).</li>
 *   <li>Rejected: raw control characters (including NUL), space, DEL, non-ASCII, raw backslash,
 *       {@code #}; invalid percent-encoding ({@code %zz}, a truncated {@code %4}); an encoded slash
 *       {@code %2F}, backslash {@code %5C} or control character ({@code %00}..{@code %1F}, {@code %7F});
 *       overlong UTF-8 ({@code %C0}, {@code %C1}, {@code %E0%80}..{@code %E0%9F},
 *       {@code %F0%80}..{@code %F0%8F}) which some decoders turn into {@code .} or {@code /}.</li>
 *   <li>Percent-encoded unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) are decoded and the hex
 *       digits of the remaining escapes upper-cased (RFC 3986 section 6.2.2). So {@code %2e} is a dot
 *       and {@code /%61pi} matches a route for {@code /api} exactly as the backend will read it.</li>
 *   <li>Runs of slashes are merged into one ({@code //a///b} becomes {@code /a/b}). Most backends
 *       treat them alike, and a path starting with {@code //} is read as a network-path reference by
 *       some clients and frameworks; merging removes that ambiguity for matching and forwarding.</li>
 *   <li>Dot segments are removed as in RFC 3986 {@code remove_dot_segments}, except that a {@code ..}
 *       that would climb above {@code /} rejects the path instead of being dropped. A dot segment
 *       with path parameters ({@code ..;x}, {@code .;x}) is rejected: Tomcat-style backends strip
 *       the parameters and would then climb out of the routed prefix.</li>
 * </ol>
 * A path that needs none of this is returned as the same string without copying.
 */
public final class RequestPath {

    private static final RequestPath ROOT = new RequestPath("/", null);
    static final RequestPath NOT_A_PATH = rejected("path does not start with /");
    static final RequestPath CONTROL = rejected("path contains a control character, space or non-ASCII character");
    static final RequestPath BACKSLASH = rejected("path contains a backslash");
    static final RequestPath FRAGMENT = rejected("path contains #");
    static final RequestPath BAD_ESCAPE = rejected("path contains invalid percent-encoding");
    static final RequestPath ENCODED_SLASH = rejected("path contains an encoded slash (%2F)");
    static final RequestPath ENCODED_BACKSLASH = rejected("path contains an encoded backslash (%5C)");
    static final RequestPath ENCODED_CONTROL = rejected("path contains an encoded control character");
    static final RequestPath OVERLONG = rejected("path contains an overlong UTF-8 encoding");
    static final RequestPath ABOVE_ROOT = rejected("path climbs above / with ..");
    static final RequestPath DOT_PARAMS = rejected("path contains a dot segment with parameters");
    static final RequestPath DOT_SEGMENT = rejected("path contains a . or .. segment");
    static final RequestPath QUERY = rejected("path contains ?");

    private final String path;
    private final String reason;

    private RequestPath(String path, String reason) {
        this.path = path;
        this.reason = reason;
    }

    private static RequestPath rejected(String reason) {
        return new RequestPath(null, reason);
    }

    static RequestPath valid(String path) {
        return "/".equals(path) ? ROOT : new RequestPath(path, null);
    }

    /** Validates and normalizes a raw request path (see the class comment for the rules). Never throws. */
    public static RequestPath parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return NOT_A_PATH;
        }
        int start = 0;
        if (raw.charAt(0) != '/') {
            start = absoluteFormPathStart(raw);
            if (start < 0) {
                return NOT_A_PATH;
            }
            if (start >= raw.length() || raw.charAt(start) != '/') {
                return ROOT; // "http://host" or "http://host?q"
            }
        }
        int end = raw.indexOf('?', start);
        return normalize(raw, start, end < 0 ? raw.length() : end, false);
    }

    /**
     * Validates the output of a rewrite: the same rules as {@link #parse}, but a {@code .} or {@code ..}
     * segment, a {@code ?}, or a path not starting with {@code /} is always rejected, never resolved.
     */
    static RequestPath strict(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return NOT_A_PATH;
        }
        return normalize(path, 0, path.length(), true);
    }

    /** Whether the path was accepted. */
    public boolean isValid() {
        return path != null;
    }

    /** The normalized path; null when rejected. */
    public String path() {
        return path;
    }

    /** Why the path was rejected; null when valid. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return path != null ? path : "rejected: " + reason;
    }

    /** Index of the path in an absolute-form target, the length if there is none, or -1 if not absolute-form. */
    private static int absoluteFormPathStart(String raw) {
        int authority;
        if (raw.regionMatches(true, 0, "http://", 0, 7)) {
            authority = 7;
        } else if (raw.regionMatches(true, 0, "https://", 0, 8)) {
            authority = 8;
        } else {
            return -1;
        }
        for (int i = authority; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                return i;
            }
        }
        return raw.length();
    }

    private static RequestPath normalize(String raw, int start, int end, boolean strict) {
        boolean rewrite = start != 0 || end != raw.length();
        char prev = 0;
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return CONTROL;
            } else if (c == '\\') {
                return BACKSLASH;
            } else if (c == '#') {
                return FRAGMENT;
            } else if (c == '?') {
                return QUERY; // only reachable in strict mode: parse() cuts the query first
            } else if (c == '%') {
                int v = escapeAt(raw, i, end);
                RequestPath bad = checkEscape(raw, i, end, v);
                if (bad != null) {
                    return bad;
                }
                if (isUnreserved(v) || isLowerHex(raw.charAt(i + 1)) || isLowerHex(raw.charAt(i + 2))) {
                    rewrite = true;
                }
                i += 2;
                c = 'x';
            } else if ((c == '/' && prev == '/') || (c == '.' && prev == '/')) {
                rewrite = true;
            }
            prev = c;
        }
        if (!rewrite) {
            return valid(raw);
        }
        return resolve(decodeUnreserved(raw, start, end), strict);
    }

    /** The byte value of the escape at {@code i}, or -1 if it is not {@code %} and two hex digits. */
    private static int escapeAt(String s, int i, int end) {
        if (i + 2 >= end) {
            return -1;
        }
        int hi = hex(s.charAt(i + 1));
        int lo = hex(s.charAt(i + 2));
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }

    /** ASCII hex digit value, or -1 ({@link Character#digit} would also accept non-ASCII digits). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        } else if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static RequestPath checkEscape(String s, int i, int end, int v) {
        if (v < 0) {
            return BAD_ESCAPE;
        } else if (v == '/') {
            return ENCODED_SLASH;
        } else if (v == '\\') {
            return ENCODED_BACKSLASH;
        } else if (v < 0x20 || v == 0x7F) {
            return ENCODED_CONTROL;
        } else if (v == 0xC0 || v == 0xC1) {
            return OVERLONG;
        } else if (v == 0xE0 || v == 0xF0) {
            int next = i + 3 < end && s.charAt(i + 3) == '%' ? escapeAt(s, i + 3, end) : -1;
            if (next >= 0x80 && next <= (v == 0xE0 ? 0x9F : 0x8F)) {
                return OVERLONG;
            }
        }
        return null;
    }

    private static boolean isLowerHex(char c) {
        return c >= 'a' && c <= 'f';
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** Copies {@code raw[start, end)}, decoding escaped unreserved characters and upper-casing other escapes. */
    private static String decodeUnreserved(String raw, int start, int end) {
        StringBuilder sb = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int v = escapeAt(raw, i, end);
                if (isUnreserved(v)) {
                    sb.append((char) v);
                } else {
                    sb.append('%').append(Character.toUpperCase(raw.charAt(i + 1)))
                            .append(Character.toUpperCase(raw.charAt(i + 2)));
                }
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Merges slashes and removes dot segments of a decoded path that starts with {@code /}. */
    private static RequestPath resolve(String p, boolean strict) {
        List<String> out = new ArrayList<>();
        boolean lastWasDot = false;
        int n = p.length();
        int i = 1;
        while (i < n) {
            int slash = p.indexOf('/', i);
            int segEnd = slash < 0 ? n : slash;
            if (segEnd == i) {
                i++; // empty segment: merged slash
                continue;
            }
            String seg = p.substring(i, segEnd);
            i = segEnd + 1;
            int semi = seg.indexOf(';');
            String bare = semi < 0 ? seg : seg.substring(0, semi);
            boolean dotDot = bare.equals("..");
            lastWasDot = dotDot || bare.equals(".");
            if (!lastWasDot) {
                out.add(seg);
            } else if (strict) {
                return DOT_SEGMENT;
            } else if (semi >= 0) {
                return DOT_PARAMS;
            } else if (dotDot) {
                if (out.isEmpty()) {
                    return ABOVE_ROOT;
                }
                out.remove(out.size() - 1);
            }
        }
        if (out.isEmpty()) {
            return ROOT;
        }
        StringBuilder sb = new StringBuilder(n);
        for (String seg : out) {
            sb.append('/').append(seg);
        }
        if (lastWasDot || p.charAt(n - 1) == '/') {
            sb.append('/'); // "/a/." and "/a/b/.." end in a slash, as in RFC 3986
        }
        return valid(sb.toString());
    }
}
