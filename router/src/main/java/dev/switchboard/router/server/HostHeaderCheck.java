package dev.switchboard.router.server;

import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.HostHeaderHandler;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.lang.reflect.Field;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undertow's check of the {@code Host} header, with a fast path for the plainly valid case.
 *
 * <p>Undertow 2.3 wraps every HTTP/1.x request in a new {@link HostHeaderHandler} (through its
 * {@code WRAPPER} constant, with no option to change it). For a Host that is an IPv4 literal, that
 * handler runs a backtracking regular expression whose only effect is to skip a per-character check
 * the literal passes anyway: 11 % of the router's Java time and a third of its allocated bytes under
 * load with {@code Host: 127.0.0.1:port} (bench/RESULTS.md). This wrapper answers the common case
 * itself — one Host made of registered-name characters (which covers dotted IPv4), an optional
 * decimal port from 1 to 65535, an origin-form request target — and hands every other request to
 * Undertow's own handler. Everything the fast path lets through, Undertow would have let through;
 * everything else gets exactly Undertow's answer.
 *
 * <p>The wrapper is swapped in by writing the constant with {@link FieldWrites} (there is no
 * supported way). Where that is not available or fails, Undertow's check stays: only the speed differs.
 */
final class HostHeaderCheck implements HandlerWrapper {

    private static final Logger log = LoggerFactory.getLogger(HostHeaderCheck.class);
    /** RFC 3986 reg-name characters without '%' (pct-encoded goes to Undertow): unreserved and sub-delims. */
    private static final boolean[] NAME = new boolean[128];

    static {
        for (int c = 0; c < NAME.length; c++) {
            NAME[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~!$&'()*+,;=".indexOf(c) >= 0;
        }
    }

    private static boolean installed;

    /** The last root handler wrapped: each listener has one, so this is almost always a hit. */
    private volatile Checked last;

    private HostHeaderCheck() {
    }

    /** Puts this check in place of Undertow's for every listener in the JVM; idempotent. */
    static synchronized boolean install() {
        if (!installed && FieldWrites.available()) {
            try {
                replaceWrapper(new HostHeaderCheck());
                installed = true;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                log.warn("Host header check: keeping Undertow's (slower for IPv4-literal hosts): cannot replace it: {}", e.toString());
            }
        }
        return installed;
    }

    private static void replaceWrapper(HandlerWrapper wrapper) throws ReflectiveOperationException {
        Field target = HostHeaderHandler.class.getField("WRAPPER");
        Objects.requireNonNull(HostHeaderHandler.WRAPPER); // initializes the class first, or it would overwrite ours
        FieldWrites.writeStatic(target, wrapper);
        if (HostHeaderHandler.WRAPPER != wrapper) {
            throw new IllegalStateException("HostHeaderHandler.WRAPPER did not change");
        }
    }

    @Override
    public HttpHandler wrap(HttpHandler next) {
        Checked c = last;
        if (c == null || c.next != next) {
            c = new Checked(next);
            last = c;
        }
        return c;
    }

    private static final class Checked implements HttpHandler {
        final HttpHandler next;
        private final HostHeaderHandler undertow;

        Checked(HttpHandler next) {
            this.next = next;
            this.undertow = new HostHeaderHandler(next);
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            if (plainlyValid(exchange)) {
                next.handleRequest(exchange);
            } else {
                undertow.handleRequest(exchange);
            }
        }
    }

    private static boolean plainlyValid(HttpServerExchange exchange) {
        if (exchange.isHostIncludedInRequestURI()) {
            return false;
        }
        HeaderValues hosts = exchange.getRequestHeaders().get(Headers.HOST);
        return hosts != null && hosts.size() == 1 && plainlyValid(hosts.getFirst());
    }

    /**
     * Whether {@code host} is {@code reg-name [":" port]} with a non-empty name of unreserved and
     * sub-delim characters and a port of 1 to 5 digits from 1 to 65535: a subset of what Undertow's
     * {@link HostHeaderHandler} accepts (no brackets, colons or percent signs in the name).
     */
    static boolean plainlyValid(String host) {
        int n = host.length();
        int i = 0;
        while (i < n) {
            char c = host.charAt(i);
            if (c == ':') {
                break;
            }
            if (c >= NAME.length || !NAME[c]) {
                return false;
            }
            i++;
        }
        if (i == 0) {
            return false;
        }
        if (i == n) {
            return true;
        }
        int digits = n - i - 1;
        if (digits < 1 || digits > 5) {
            return false;
        }
        int port = 0;
        for (int j = i + 1; j < n; j++) {
            char c = host.charAt(j);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port >= 1 && port <= 65535;
    }
}
