package dev.switchboard.router.testing;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP backend on a loopback port for end-to-end tests. By default it answers
 * {@code <name> <method> <path-with-query>} and echoes request headers back as {@code X-Echo-<name>}.
 * Special paths: {@code /status/<code>}, {@code /bytes/<n>} (streamed), {@code /upload} (counts the
 * body without keeping it), {@code /ws} (WebSocket echo), {@code /headers} (request headers as text).
 * {@link #behave} swaps in another handler at runtime (slow, failing, frozen).
 */
public final class TestBackend implements AutoCloseable {

    private final String name;
    private final Undertow server;
    private final AtomicReference<HttpHandler> override = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> byPath = new ConcurrentHashMap<>();

    private TestBackend(String name, int port) {
        this.name = name;
        HttpHandler ws = Handlers.websocket((exchange, channel) -> {
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                    WebSockets.sendText(name + ":" + message.getData(), ch, null);
                }
            });
            channel.resumeReceives();
        });
        this.server = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(4)
                .setServerOption(io.undertow.UndertowOptions.MAX_ENTITY_SIZE, -1L)
                .setHandler(exchange -> {
                    requests.incrementAndGet();
                    byPath.computeIfAbsent(exchange.getRequestPath(), p -> new AtomicInteger()).incrementAndGet();
                    HttpHandler h = override.get();
                    if (h != null) {
                        h.handleRequest(exchange);
                    } else if (exchange.getRequestPath().equals("/ws")) {
                        ws.handleRequest(exchange);
                    } else {
                        standard(exchange);
                    }
                })
                .build();
        server.start();
    }

    /**
     * A handler that answers 200 {@code "<name> released\n"} with {@code X-Backend: name} once
     * {@code release} opens (500 if it stays shut for 30 s), on a worker thread; counts
     * {@code arrived} down when the request is in.
     */
    public static HttpHandler blocked(String name, CountDownLatch arrived, CountDownLatch release) {
        return exchange -> exchange.dispatch(() -> {
            arrived.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    exchange.setStatusCode(500);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.setStatusCode(500);
            }
            exchange.getResponseHeaders().put(new HttpString("X-Backend"), name);
            exchange.getResponseSender().send(name + " released\n");
        });
    }

    public static TestBackend start(String name) {
        return new TestBackend(name, 0);
    }

    public static TestBackend start(String name, int port) {
        return new TestBackend(name, port);
    }

    public String name() {
        return name;
    }

    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    public int requests() {
        return requests.get();
    }

    public int requests(String path) {
        AtomicInteger n = byPath.get(path);
        return n == null ? 0 : n.get();
    }

    /** Replaces the default behaviour; null restores it. */
    public void behave(HttpHandler handler) {
        override.set(handler);
    }

    @Override
    public void close() {
        server.stop();
    }

    private void standard(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        if (path.startsWith("/status/")) {
            exchange.setStatusCode(Integer.parseInt(path.substring("/status/".length())));
            exchange.getResponseSender().send(name + " status\n");
            return;
        }
        if (path.startsWith("/bytes/")) {
            if (exchange.isInIoThread()) {
                exchange.dispatch(this::standard);
                return;
            }
            long n = Long.parseLong(path.substring("/bytes/".length()));
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, n);
            exchange.startBlocking();
            byte[] chunk = new byte[64 * 1024];
            var out = exchange.getOutputStream();
            for (long left = n; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            out.close();
            return;
        }
        if (path.equals("/upload")) {
            if (exchange.isInIoThread()) {
                exchange.dispatch(this::standard);
                return;
            }
            exchange.startBlocking();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            var in = exchange.getInputStream();
            for (int r; (r = in.read(buf)) >= 0; ) {
                total += r;
            }
            exchange.getResponseSender().send(name + " received " + total + "\n");
            return;
        }
        if (path.equals("/headers")) {
            TreeMap<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach(v -> sorted.put(v.getHeaderName().toString(), String.join(",", v)));
            StringBuilder sb = new StringBuilder();
            sorted.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
            exchange.getResponseSender().send(sb.toString());
            return;
        }
        exchange.getResponseHeaders().put(new HttpString("X-Backend"), name);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
        String q = exchange.getQueryString();
        exchange.getResponseSender().send(ByteBuffer.wrap((name + " " + exchange.getRequestMethod() + " "
                + exchange.getRequestURI() + (q == null || q.isEmpty() ? "" : "?" + q) + "\n").getBytes()));
    }
}
