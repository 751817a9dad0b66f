package dev.switchboard.router.cli;

import dev.switchboard.router.server.ReadyOrderSelectorProvider;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The example HTTP service used by {@code demo}, by {@code backend} in the compose quickstart, and by
 * the tests that replay that quickstart. It answers {@code hello from NAME (path P)}; {@code GET /health}
 * is its health check (200, or 503 after {@code POST /health/toggle} flipped it). Public so that
 * {@code ComposeScenarioTest} (integration-tests) runs the very app the compose file runs, and stops it.
 */
public final class ExampleBackend implements AutoCloseable {

    private final String name;
    private final Undertow server;
    private final AtomicBoolean healthy = new AtomicBoolean(true);

    private ExampleBackend(String name, String address, int port) {
        this.name = name;
        ReadyOrderSelectorProvider.install(); // XNIO reads it once, at its first use in the JVM
        this.server = Undertow.builder()
                .addHttpListener(port, address)
                .setIoThreads(1)
                .setWorkerThreads(1)
                .setHandler(this::handle)
                .build();
    }

    /** Starts a backend answering as {@code name} on {@code address:port}; fails if the port is taken. */
    public static ExampleBackend start(String name, String address, int port) {
        ExampleBackend b = new ExampleBackend(name, address, port);
        b.server.start();
        return b;
    }

    private void handle(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        String path = exchange.getRequestPath();
        if (path.equals("/health/toggle") && exchange.getRequestMethod().equals(Methods.POST)) {
            boolean now = !healthy.get();
            healthy.set(now);
            exchange.getResponseSender().send(name + " health is now " + (now ? "passing" : "failing") + "\n");
        } else if (path.equals("/health")) {
            exchange.setStatusCode(healthy.get() ? 200 : 503);
            exchange.getResponseSender().send(name + (healthy.get() ? " ok\n" : " failing\n"));
        } else {
            exchange.getResponseSender().send("hello from " + name + " (path " + path + ")\n");
        }
    }

    public String name() {
        return name;
    }

    /** The port it listens on (the one asked for, or the one the system chose for port 0). */
    public int port() {
        return ((java.net.InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        server.stop();
    }
}
