package dev.switchboard.router.proxy;

import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.Set;

/**
 * Hop-by-hop request headers (RFC 9110 §7.6.1): the fixed set below and any header named in
 * {@code Connection}. They are not forwarded to backends; responses get the same treatment in
 * {@link dev.switchboard.router.upstream.ResponseHead}.
 */
final class HopByHop {

    private static final Set<HttpString> HOP_BY_HOP = Set.of(
            Headers.CONNECTION, Headers.KEEP_ALIVE, new HttpString("Proxy-Connection"), Headers.TE,
            Headers.TRAILER, Headers.TRANSFER_ENCODING, Headers.UPGRADE, Headers.PROXY_AUTHENTICATE,
            Headers.PROXY_AUTHORIZATION);

    private HopByHop() {
    }

    static boolean isHopByHop(HttpString name) {
        return HOP_BY_HOP.contains(name);
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
}
