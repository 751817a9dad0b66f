package dev.switchboard.router.server;

import dev.switchboard.router.config.ListenConfig;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * The public listener, assembled from Undertow's parts rather than {@code Undertow.builder()} so
 * that shutdown can close just the accepting socket: Undertow's own listener suspension also closes
 * every open connection, which would cut requests in flight.
 *
 * <p>All proxying happens on IO threads; the worker pool is tiny because nothing blocks. Shutdown
 * drains: the listening socket closes (new connections are refused at once, so clients and L4
 * balancers move on), requests in flight finish, responses during the drain carry
 * {@code Connection: close}, and after the drain timeout whatever is left is cut.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    private final XnioWorker worker;
    private final AcceptingChannel<StreamConnection> acceptor;
    private final InFlight inFlight = new InFlight();
    private final ExchangeCompletionListener endOfExchange = (exchange, nextListener) -> {
        inFlight.end();
        nextListener.proceed();
    };
    private volatile boolean draining;

    public ProxyServer(ListenConfig listen, HttpHandler handler) {
        int ioThreads = ioThreads(listen);
        int maxHeader = (int) Math.min(Integer.MAX_VALUE, Math.max(listen.maxHeaderSize(), listen.maxUrlLength()) * 2L + 1024);
        OptionMap serverOptions = OptionMap.builder()
                .set(UndertowOptions.MAX_HEADER_SIZE, maxHeader)
                // The router enforces max_request_body itself (a declared length up front, a chunked body
                // while it streams) so the client gets a 413; Undertow's own cut (no response) sits
                // further out, bounding what it drains behind a response that did not read the body.
                .set(UndertowOptions.MAX_ENTITY_SIZE, listen.maxRequestBody() > 0
                        ? listen.maxRequestBody() + Math.max(listen.maxRequestBody(), 1L << 20) : -1L)
                // Not UndertowOptions.IDLE_TIMEOUT: on HTTP/1.1 it only adds a conduit whose timeout is
                // never set. Idle keep-alive connections close after NO_REQUEST_TIMEOUT; a request's
                // body and response are watched by the proxy's own idle checks.
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) listen.idleTimeout().toMillis())
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) listen.requestHeaderTimeout().toMillis())
                .set(UndertowOptions.DECODE_URL, false)
                .set(UndertowOptions.RECORD_REQUEST_START_TIME, false)
                .set(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .set(UndertowOptions.MAX_HEADERS, 200)
                .set(UndertowOptions.ENABLE_STATISTICS, false)
                .getMap();
        try {
            this.worker = xnio().createWorker(OptionMap.builder()
                    .set(Options.WORKER_NAME, "switchboard")
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.WORKER_TASK_CORE_THREADS, 2)
                    .set(Options.WORKER_TASK_MAX_THREADS, Math.max(2, ioThreads))
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.CORK, true)
                    .getMap());
            // 32 KiB: a backend's head and a 16 KiB body arrive in one read and leave in one gather
            // write (16 KiB buffers took two reads and two writes to the client; strace, bench/RESULTS.md).
            // Only the bytes a response touches become resident; at most 16 MiB cached per IO thread.
            ByteBufferPool buffers = new ThreadLocalBufferPool(true, 32 * 1024, 512);
            HttpOpenListener open = new HttpOpenListener(buffers, serverOptions);
            open.setRootHandler(exchange -> track(exchange, handler));
            ChannelListener<AcceptingChannel<StreamConnection>> accept = ChannelListeners.openListenerAdapter(connection -> {
                QuietReadReady.install(connection.getSourceChannel());
                open.handleEvent(connection);
            });
            OptionMap socketOptions = OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.REUSE_ADDRESSES, true)
                    .set(Options.BALANCING_TOKENS, 1)
                    .set(Options.BALANCING_CONNECTIONS, 2)
                    .set(Options.BACKLOG, 4096)
                    .getMap();
            this.acceptor = worker.createStreamConnectionServer(
                    new InetSocketAddress(listen.address(), listen.port()), accept, socketOptions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + listen.address() + ":" + listen.port() + ": " + e.getMessage(), e);
        }
    }

    private static Xnio xnio() {
        HostHeaderCheck.install();
        ReadyOrderSelectorProvider.install();
        return Xnio.getInstance(ProxyServer.class.getClassLoader());
    }

    private void track(HttpServerExchange exchange, HttpHandler next) throws Exception {
        inFlight.begin();
        exchange.addExchangeCompleteListener(endOfExchange);
        if (draining) {
            exchange.setPersistent(false);
        }
        keepReadsArmed(exchange);
        next.handleRequest(exchange);
    }

    /**
     * Undoes Undertow's suspension of the client connection's reads for a request without a body.
     *
     * <p>Undertow suspends the client's reads once a request head is parsed and resumes them when the
     * exchange ends. The JDK selector turns that into an {@code EPOLL_CTL_DEL} and an
     * {@code EPOLL_CTL_ADD} per request (two system calls, and an epoll item freed and allocated
     * again), because the two happen in different turns of the event loop. Resumed here, in the same
     * turn as the suspension, the selector sees no change and makes no call; the resumption when the
     * exchange ends is then a no-op too. Should the client send anything while the request runs
     * (a pipelined request, its close), Undertow's read listener suspends reads at that moment, as it
     * does for every event during a running request. Not for requests with a body (their reads belong
     * to the body relay), upgrades (the connection changes hands), TLS (Undertow suspends those
     * for thread safety), or when pipelined bytes are already buffered (Undertow has taken its
     * listener off; an armed read without a listener would spin).
     */
    private static void keepReadsArmed(HttpServerExchange exchange) {
        if (exchange.isRequestComplete() && exchange.getConnection() instanceof HttpServerConnection connection
                && connection.getSslSessionInfo() == null && connection.getExtraBytes() == null
                && connection.getChannel().getSourceChannel().getReadListener() != null
                && !exchange.getRequestHeaders().contains(Headers.UPGRADE)) {
            connection.getOriginalSourceConduit().resumeReads();
        }
    }

    public void start() {
        acceptor.resumeAccepts();
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return acceptor.getLocalAddress(InetSocketAddress.class).getPort();
    }

    public XnioWorker worker() {
        return worker;
    }

    /** The IO threads a listener with {@code listen} runs: {@code io_threads}, or one per core. */
    public static int ioThreads(ListenConfig listen) {
        return listen.ioThreads() > 0 ? listen.ioThreads() : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    public int ioThreads() {
        return worker.getIoThreadCount();
    }

    public long inFlight() {
        return inFlight.current();
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * Closes the listening socket and waits up to {@code timeout} for in-flight requests to finish.
     *
     * @return requests still in flight when the wait ended (0 on a clean drain)
     */
    public long drain(Duration timeout) throws InterruptedException {
        draining = true;
        IoUtils.safeClose(acceptor);
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
        IoUtils.safeClose(acceptor);
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
