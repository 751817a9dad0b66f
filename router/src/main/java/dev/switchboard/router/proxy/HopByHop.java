package dev.switchboard.router.proxy;

import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.List;
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

    /**
     * Whether {@code name} is one of the options a {@code Connection} header listed. A client cannot
     * nominate the message's own framing or its Host this way: dropping {@code Content-Length} from a
     * streamed body would let the body's bytes be read upstream as another request.
     */
    static boolean listedIn(List<String> connectionOptions, HttpString name) {
        if (name.equals(Headers.CONTENT_LENGTH) || name.equals(Headers.HOST)) {
            return false;
        }
        for (int i = 0; i < connectionOptions.size(); i++) {
            if (name.equalToString(connectionOptions.get(i))) {
                return true;
            }
        }
        return false;
    }
}
