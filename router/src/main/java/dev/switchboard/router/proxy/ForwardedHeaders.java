package dev.switchboard.router.proxy;

import dev.switchboard.router.upstream.RequestHead;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;

/**
 * {@code X-Forwarded-For/-Proto/-Host/-Port} toward the backend. Incoming values are kept and extended
 * only when the direct peer is a trusted proxy; otherwise they are replaced, so a client cannot forge
 * its address. {@link #clientAddress} gives the address used for hashing and logging by the same rule.
 */
final class ForwardedHeaders {

    static final HttpString X_FORWARDED_FOR = Headers.X_FORWARDED_FOR;
    static final HttpString X_FORWARDED_PROTO = Headers.X_FORWARDED_PROTO;
    static final HttpString X_FORWARDED_HOST = Headers.X_FORWARDED_HOST;
    static final HttpString X_FORWARDED_PORT = Headers.X_FORWARDED_PORT;

    private final TrustedProxies trusted;

    ForwardedHeaders(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    /** Whether incoming X-Forwarded-* headers from this exchange's peer are believed. */
    boolean trustsPeer(HttpServerExchange exchange) {
        if (trusted.isEmpty()) {
            return false;
        }
        InetSocketAddress peer = exchange.getSourceAddress();
        return peer != null && trusted.contains(peer.getAddress());
    }

    /** RFC 7239's header and nginx's: other names for the client's address that backends believe. */
    static final HttpString FORWARDED = Headers.FORWARDED;
    static final HttpString X_REAL_IP = new HttpString("X-Real-IP");

    static boolean isForwardedHeader(HttpString name) {
        return name.equals(X_FORWARDED_FOR) || name.equals(X_FORWARDED_PROTO)
                || name.equals(X_FORWARDED_HOST) || name.equals(X_FORWARDED_PORT)
                || name.equals(FORWARDED) || name.equals(X_REAL_IP);
    }

    /**
     * Writes the four X-Forwarded headers into {@code out}, from scratch or extending trusted incoming
     * ones. {@code Forwarded} and {@code X-Real-IP} pass only from a trusted peer: from anyone else
     * they would let a client name its own address to a backend that prefers them (Spring's
     * ForwardedHeaderFilter reads {@code Forwarded} first).
     */
    void write(HttpServerExchange exchange, boolean peerTrusted, RequestHead out) {
        HeaderMap in = exchange.getRequestHeaders();
        String peer = peerAddress(exchange);
        if (peerTrusted) {
            copy(in, FORWARDED, out);
            copy(in, X_REAL_IP, out);
        }
        String xff = peerTrusted ? joined(in, X_FORWARDED_FOR) : null;
        out.header(X_FORWARDED_FOR, xff == null || xff.isEmpty() ? peer : xff + ", " + peer);
        String proto = peerTrusted ? in.getFirst(X_FORWARDED_PROTO) : null;
        out.header(X_FORWARDED_PROTO, proto != null ? proto : exchange.getRequestScheme());
        String host = peerTrusted ? in.getFirst(X_FORWARDED_HOST) : null;
        if (host == null) {
            host = in.getFirst(Headers.HOST);
        }
        if (host != null) {
            out.header(X_FORWARDED_HOST, host);
        }
        String port = peerTrusted ? in.getFirst(X_FORWARDED_PORT) : null;
        if (port != null) {
            out.header(X_FORWARDED_PORT, port);
        } else {
            out.header(X_FORWARDED_PORT, hostPort(exchange, in));
        }
    }

    /**
     * The port the client addressed, as Undertow's {@code getHostPort()} finds it (the Host header's,
     * else the scheme's default; without a Host, the listener's) but without cutting a substring and
     * parsing it per request.
     */
    static int hostPort(HttpServerExchange exchange, HeaderMap in) {
        String host = in.getFirst(Headers.HOST);
        if (host == null) {
            return exchange.getDestinationAddress().getPort();
        }
        // An IPv6 literal's own colons are inside its brackets.
        int colon = host.startsWith("[") ? host.indexOf(':', host.indexOf(']')) : host.indexOf(':');
        int digits = host.length() - colon - 1;
        if (colon >= 0 && digits > 0 && digits <= 9) {
            int port = 0;
            int i = colon + 1;
            for (; i < host.length(); i++) {
                char c = host.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                port = port * 10 + (c - '0');
            }
            if (i == host.length()) {
                return port;
            }
        }
        String scheme = exchange.getRequestScheme();
        return "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : exchange.getDestinationAddress().getPort();
    }

    /**
     * The client's address: the direct peer, or, when the peer is a trusted proxy, the right-most
     * address in {@code X-Forwarded-For} that is not itself a trusted proxy.
     */
    String clientAddress(HttpServerExchange exchange, boolean peerTrusted) {
        String peer = peerAddress(exchange);
        if (!peerTrusted) {
            return peer;
        }
        String xff = joined(exchange.getRequestHeaders(), X_FORWARDED_FOR);
        if (xff == null) {
            return peer;
        }
        int end = xff.length();
        while (end > 0) {
            int comma = xff.lastIndexOf(',', end - 1);
            String candidate = xff.substring(comma + 1, end).trim();
            if (!candidate.isEmpty() && !trusted.containsLiteral(candidate)) {
                return TrustedProxies.IpLiterals.parse(candidate) != null ? candidate : peer;
            }
            end = comma < 0 ? 0 : comma;
        }
        return peer;
    }

    /** All lines of a list header as one comma-separated value (RFC 9110 §5.3), or null if absent. */
    private static String joined(HeaderMap in, HttpString name) {
        HeaderValues values = in.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.getFirst() : String.join(", ", values);
    }

    private static void copy(HeaderMap in, HttpString name, RequestHead out) {
        HeaderValues values = in.get(name);
        if (values != null) {
            out.header(name, values);
        }
    }

    /** The peer's address text, computed once per client connection (every request of it needs it). */
    private static String peerAddress(HttpServerExchange exchange) {
        var connection = exchange.getConnection();
        String cached = connection.getAttachment(PEER_ADDRESS);
        if (cached != null) {
            return cached;
        }
        InetSocketAddress peer = exchange.getSourceAddress();
        if (peer == null) {
            return "unknown";
        }
        String text = peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
        connection.putAttachment(PEER_ADDRESS, text);
        return text;
    }

    private static final AttachmentKey<String> PEER_ADDRESS = AttachmentKey.create(String.class);
}
