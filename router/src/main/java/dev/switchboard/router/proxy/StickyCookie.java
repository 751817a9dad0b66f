package dev.switchboard.router.proxy;

import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.backend.ServiceCluster;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.server.handlers.CookieImpl;

/**
 * Session persistence by cookie. The cookie holds an opaque token of the backend (a hash of its
 * identity, never its address); a request whose token names a usable backend goes there, otherwise
 * the fallback strategy picks and the cookie is reset to the new backend.
 */
final class StickyCookie {

    private final ServiceCluster cluster;
    private final String requestedToken;
    private Backend pinned;

    StickyCookie(HttpServerExchange exchange, ServiceCluster cluster) {
        this.cluster = cluster;
        Cookie c = exchange.getRequestCookie(cluster.config().sticky().cookie());
        this.requestedToken = c != null ? unquoted(c.getValue()) : null;
    }

    /** RFC 6265 lets a client send a cookie value in double quotes ({@code SB="a1b2"}); the token is inside. */
    private static String unquoted(String value) {
        int n = value.length();
        return n >= 2 && value.charAt(0) == '"' && value.charAt(n - 1) == '"' ? value.substring(1, n - 1) : value;
    }

    /** The identity the request's cookie names, or null. */
    String requestedId() {
        return requestedToken == null ? null : cluster.stickyIdForToken(requestedToken);
    }

    void pinned(Backend backend) {
        this.pinned = backend;
    }

    /** Sets the cookie if the request had none or it named another backend. */
    void writeCookie(HttpServerExchange exchange) {
        if (pinned == null) {
            return;
        }
        String token = ServiceCluster.stickyToken(pinned);
        if (token.equals(requestedToken)) {
            return;
        }
        var cfg = cluster.config().sticky();
        CookieImpl cookie = new CookieImpl(cfg.cookie(), token);
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        if (cfg.maxAge() != null) {
            cookie.setMaxAge((int) Math.min(Integer.MAX_VALUE, cfg.maxAge().toSeconds()));
        }
        exchange.setResponseCookie(cookie);
    }
}
