package dev.switchboard.router.proxy;

import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.Set;

/**
 * Copies headers between the client and backend sides without hop-by-hop headers (RFC 9110 §7.6.1):
 * the fixed set below and any header named in {@code Connection}. An upgrade keeps
 * {@code Connection: upgrade} and {@code Upgrade}.
 */
final class HopByHop {

    private static final Set<HttpString> HOP_BY_HOP = Set.of(
            Headers.CONNECTION, Headers.KEEP_ALIVE, new HttpString("Proxy-Connection"), Headers.TE,
            Headers.TRAILER, Headers.TRANSFER_ENCODING, Headers.UPGRADE, Headers.PROXY_AUTHENTICATE,
            Headers.PROXY_AUTHORIZATION);

    private HopByHop() {
    }

    /**
     * Copies every end-to-end header of {@code from} into {@code to}, skipping those that
     * {@code skip} rejects in addition to hop-by-hop ones.
     */
    static void copy(HeaderMap from, HeaderMap to, boolean upgrade, Skip skip) {
        HeaderValues connection = from.get(Headers.CONNECTION);
        for (long c = from.fastIterateNonEmpty(); c != -1L; c = from.fiNextNonEmpty(c)) {
            HeaderValues values = from.fiCurrent(c);
            HttpString name = values.getHeaderName();
            if (HOP_BY_HOP.contains(name) || skip.test(name)) {
                continue;
            }
            if (connection != null && listedIn(connection, name)) {
                continue;
            }
            to.putAll(name, values);
        }
        if (upgrade) {
            to.put(Headers.CONNECTION, "upgrade");
            String protocol = from.getFirst(Headers.UPGRADE);
            if (protocol != null) {
                to.put(Headers.UPGRADE, protocol);
            }
        }
    }

    /** Whether {@code name} appears as a token in any {@code Connection} header value. */
    static boolean listedIn(HeaderValues connection, HttpString name) {
        for (int i = 0; i < connection.size(); i++) {
            String value = connection.get(i);
            int start = 0;
            while (start < value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                String token = value.substring(start, end).trim();
                if (!token.isEmpty() && name.equalToString(token)) {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }

    @FunctionalInterface
    interface Skip {
        Skip NONE = n -> false;

        boolean test(HttpString name);
    }
}
