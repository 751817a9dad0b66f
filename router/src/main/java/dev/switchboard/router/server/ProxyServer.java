package dev.switchboard.router.server;

import dev.switchboard.router.config.ListenConfig;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.XnioWorker;

/**
 * The public Undertow listener. All proxying happens on IO threads; the worker pool is kept tiny
 * because nothing on the request path blocks.
 *
 * <p>Shutdown drains: accepting stops, requests already in flight finish (responses during the
 * drain carry {@code Connection: close} so keep-alive clients move elsewhere), and after the drain
 * timeout whatever is left is cut.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    private final Undertow undertow;
    private final InFlight inFlight = new InFlight();
    private volatile boolean draining;

    public ProxyServer(ListenConfig listen, HttpHandler handler) {
        int ioThreads = listen.ioThreads() > 0 ? listen.ioThreads() : Math.max(1, Runtime.getRuntime().availableProcessors());
        int maxHeader = (int) Math.min(Integer.MAX_VALUE, Math.max(listen.maxHeaderSize(), listen.maxUrlLength()) * 2L + 1024);
        this.undertow = Undertow.builder()
                .addHttpListener(listen.port(), listen.address())
                .setIoThreads(ioThreads)
                .setWorkerThreads(Math.max(2, ioThreads))
                .setDirectBuffers(true)
                .setBufferSize(16 * 1024)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, maxHeader)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, listen.maxRequestBody() > 0 ? listen.maxRequestBody() : -1L)
                .setServerOption(UndertowOptions.IDLE_TIMEOUT, (int) listen.idleTimeout().toMillis())
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) listen.idleTimeout().toMillis())
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) listen.requestHeaderTimeout().toMillis())
                .setServerOption(UndertowOptions.DECODE_URL, false)
                .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .setServerOption(UndertowOptions.MAX_HEADERS, 200)
                .setServerOption(UndertowOptions.ENABLE_STATISTICS, false)
                .setSocketOption(Options.TCP_NODELAY, true)
                .setSocketOption(Options.REUSE_ADDRESSES, true)
                .setSocketOption(Options.BACKLOG, 4096)
                .setHandler(exchange -> track(exchange, handler))
                .build();
    }

    private void track(HttpServerExchange exchange, HttpHandler next) throws Exception {
        inFlight.begin();
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            inFlight.end();
            nextListener.proceed();
        });
        if (draining) {
            exchange.setPersistent(false);
        }
        next.handleRequest(exchange);
    }

    public void start() {
        undertow.start();
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    public XnioWorker worker() {
        return undertow.getWorker();
    }

    public int ioThreads() {
        return undertow.getWorker().getIoThreadCount();
    }

    public long inFlight() {
        return inFlight.current();
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * Stops accepting and waits up to {@code timeout} for in-flight requests to finish.
     *
     * @return requests still in flight when the wait ended (0 on a clean drain)
     */
    public long drain(Duration timeout) throws InterruptedException {
        draining = true;
        undertow.getListenerInfo().forEach(Undertow.ListenerInfo::suspend);
        long deadline = System.nanoTime() + timeout.toNanos();
        long left = inFlight.current();
        log.info("draining: stopped accepting, {} request(s) in flight, waiting up to {} ms", left, timeout.toMillis());
        while (left > 0 && System.nanoTime() < deadline) {
            inFlight.awaitChange(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            left = inFlight.current();
        }
        return left;
    }

    @Override
    public void close() {
        undertow.stop();
    }

    /** In-flight count with a monitor so drain() can wait for it to reach zero without polling. */
    private static final class InFlight {
        private final LongAdder count = new LongAdder();

        void begin() {
            count.increment();
        }

        void end() {
            count.decrement();
            if (count.sum() == 0) {
                synchronized (this) {
                    notifyAll();
                }
            }
        }

        long current() {
            return count.sum();
        }

        synchronized void awaitChange(long millis) throws InterruptedException {
            if (count.sum() > 0) {
                wait(Math.min(millis, 100));
            }
        }
    }
}
