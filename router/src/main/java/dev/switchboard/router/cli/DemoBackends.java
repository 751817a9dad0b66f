package dev.switchboard.router.cli;

import java.util.ArrayList;
import java.util.List;

/** Tiny in-process HTTP backends for {@code demo}: each answers with its name and the path it saw. */
final class DemoBackends implements AutoCloseable {

    private final List<ExampleBackend> servers;

    private DemoBackends(List<ExampleBackend> servers) {
        this.servers = servers;
    }

    static DemoBackends start(int firstPort, int count) {
        List<ExampleBackend> started = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                started.add(ExampleBackend.start("backend-" + (i + 1), "127.0.0.1", firstPort + i));
            }
        } catch (RuntimeException e) {
            started.forEach(ExampleBackend::close);
            throw e;
        }
        return new DemoBackends(started);
    }

    @Override
    public void close() {
        servers.forEach(ExampleBackend::close);
    }
}
