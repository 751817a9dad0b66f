package dev.switchboard.router.metrics;

import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.config.AccessLogConfig;
import dev.switchboard.router.proxy.ExchangeListener;
import dev.switchboard.router.proxy.RequestInfo;
import dev.switchboard.router.proxy.RouteBinding;
import io.undertow.attribute.ExchangeAttribute;
import io.undertow.attribute.ExchangeAttributes;
import io.undertow.server.HttpServerExchange;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log. The IO thread only formats the line (the exchange is not safe to read elsewhere)
 * and offers it to a bounded queue; a writer thread does all I/O. When the queue is full the line
 * is dropped and counted rather than blocking the IO thread. Routes with {@code access_log: false}
 * are skipped; requests the router refused before matching a route (404 {@code no_route}, a refused
 * path, URI, method, head or declared body size) are logged with route {@code -}.
 *
 * <p>Format: an Undertow exchange-attribute pattern ({@code %h %t "%r" %s %b %D}, {@code
 * %{i,Header}} …), or {@code common} / {@code combined}. Two extras: {@code %{route}} and {@code
 * %{backend}} — the route name ({@code -} if none matched) and the {@code host:port} of the last
 * backend tried ({@code -} if none).
 */
public final class AccessLog implements ExchangeListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    static final String COMMON = "%h %l %u %t \"%r\" %s %b";
    static final String COMBINED = COMMON + " \"%{i,Referer}\" \"%{i,User-Agent}\"";
    private static final String ROUTE = "%{route}";
    private static final String BACKEND = "%{backend}";

    private final List<Object> parts = new ArrayList<>();
    private final BlockingQueue<String> queue;
    private final Writer out;
    private final Thread writer;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private volatile boolean closed;
    private boolean closeOutput;

    /** Opens the configured output; {@code output} is {@code stdout} or a file appended to. */
    public static AccessLog open(AccessLogConfig config) throws IOException {
        Writer w = config.output().equals("stdout")
                ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                : Files.newBufferedWriter(Path.of(config.output()), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        AccessLog a = new AccessLog(config.format(), w, 16_384);
        a.closeOutput = !config.output().equals("stdout");
        return a;
    }

    public AccessLog(String format, Writer out, int capacity) {
        String pattern = switch (format) {
            case "common" -> COMMON;
            case "combined" -> COMBINED;
            default -> format;
        };
        var parser = ExchangeAttributes.parser(AccessLog.class.getClassLoader());
        int i = 0;
        while (i < pattern.length()) {
            int r = pattern.indexOf(ROUTE, i);
            int b = pattern.indexOf(BACKEND, i);
            int next = r < 0 ? b : b < 0 ? r : Math.min(r, b);
            if (next < 0) {
                parts.add(parser.parse(pattern.substring(i)));
                break;
            }
            if (next > i) {
                parts.add(parser.parse(pattern.substring(i, next)));
            }
            parts.add(next == r ? ROUTE : BACKEND);
            i = next + (next == r ? ROUTE.length() : BACKEND.length());
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out);
        this.writer = new Thread(this::drain, "switchboard-access-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void completed(HttpServerExchange exchange, RouteBinding route, Backend backend, RequestInfo info, long nanos) {
        if (closed || route != null && !route.route().accessLog()) {
            return;
        }
        StringBuilder sb = new StringBuilder(160);
        for (Object p : parts) {
            if (p == ROUTE) {
                sb.append(route == null ? "-" : route.name());
            } else if (p == BACKEND) {
                sb.append(backend == null ? "-" : backend.hostPort());
            } else {
                String v = ((ExchangeAttribute) p).readAttribute(exchange);
                sb.append(v == null ? "-" : v);
            }
        }
        if (!queue.offer(sb.toString())) {
            dropped.increment();
        }
    }

    private void drain() {
        List<String> batch = new ArrayList<>(256);
        while (!closed || !queue.isEmpty()) {
            try {
                String first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 1023);
                for (String line : batch) {
                    out.write(line);
                    out.write('\n');
                }
                out.flush();
                written.add(batch.size());
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } catch (IOException e) {
                dropped.add(batch.size());
                log.warn("access log: {} line(s) not written: {}", batch.size(), e.getMessage());
            } finally {
                batch.clear();
            }
        }
    }

    /** Lines dropped because the queue was full or the output failed. */
    public long dropped() {
        return dropped.sum();
    }

    /** Lines written so far. */
    public long written() {
        return written.sum();
    }

    /** The writer thread, for tests that check the IO thread does not write. */
    Thread writerThread() {
        return writer;
    }

    /** Writes what is queued (up to 5 s), then closes the output unless it is stdout. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            out.flush();
            if (closeOutput) {
                out.close();
            }
        } catch (IOException e) {
            log.warn("access log: final flush failed: {}", e.getMessage());
        }
    }
}
