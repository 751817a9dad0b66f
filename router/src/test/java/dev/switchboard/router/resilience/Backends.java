package dev.switchboard.router.resilience;

import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import io.undertow.server.HttpHandler;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.TimeUnit;

/** Backend behaviours and lookups shared by the resilience tests. */
final class Backends {

    private Backends() {
    }

    /** Answers {@code status} to everything, without reading the body. */
    static HttpHandler status(int status) {
        return exchange -> {
            exchange.setStatusCode(status);
            exchange.getResponseSender().send("failing\n");
        };
    }

    /** Accepts the request and never answers (holds no thread). */
    static HttpHandler frozen() {
        return exchange -> exchange.dispatch(SameThreadExecutor.INSTANCE, () -> { });
    }

    /** Closes the connection before any response byte. */
    static HttpHandler reset() {
        return exchange -> exchange.getConnection().close();
    }

    /**
     * Answers 200 with {@code X-Backend: name} after {@code millis}, like the default behaviour but
     * slow. The delay is a timer on the IO thread: no thread is held, so concurrency is unbounded.
     */
    static HttpHandler delayed(String name, long millis) {
        return exchange -> exchange.dispatch(SameThreadExecutor.INSTANCE, () ->
                exchange.getIoThread().executeAfter(() -> {
                    exchange.getResponseHeaders().put(new HttpString("X-Backend"), name);
                    exchange.getResponseSender().send(name + " delayed\n");
                }, millis, TimeUnit.MILLISECONDS));
    }

    /** The router's live backend object for {@code backend}. */
    static Backend live(RouterFixture router, String service, TestBackend backend) {
        return router.switchboard().registry().snapshot().get(service).stream()
                .filter(b -> b.hostPort().equals(backend.address()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(backend.address() + " is not a member of " + service));
    }
}
