package dev.switchboard.router.cli;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.util.ArrayList;
import java.util.List;

/** Tiny in-process HTTP backends for {@code demo}: each answers with its name and the path it saw. */
final class DemoBackends implements AutoCloseable {

    private final List<Undertow> servers;

    private DemoBackends(List<Undertow> servers) {
        this.servers = servers;
    }

    static DemoBackends start(int firstPort, int count) {
        List<Undertow> started = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                String name = "backend-" + (i + 1);
                Undertow server = Undertow.builder()
                        .addHttpListener(firstPort + i, "127.0.0.1")
                        .setIoThreads(1)
                        .setWorkerThreads(1)
                        .setHandler(exchange -> {
                            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
                            exchange.getResponseSender().send("hello from " + name + " (path " + exchange.getRequestPath() + ")\n");
                        })
                        .build();
                server.start();
                started.add(server);
            }
        } catch (RuntimeException e) {
            started.forEach(Undertow::stop);
            throw e;
        }
        return new DemoBackends(started);
    }

    @Override
    public void close() {
        servers.forEach(Undertow::stop);
    }
}
