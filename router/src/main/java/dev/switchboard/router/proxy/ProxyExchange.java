package dev.switchboard.router.proxy;

import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.backend.ServiceCluster;
import dev.switchboard.router.backend.UpstreamPool;
import dev.switchboard.router.balancer.Endpoint;
import dev.switchboard.router.balancer.SelectionContext;
import dev.switchboard.router.health.BackendHealth;
import dev.switchboard.router.health.Outcome;
import dev.switchboard.router.upstream.ByteSource;
import dev.switchboard.router.upstream.ResponseHead;
import dev.switchboard.router.upstream.UpstreamConnection;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.xnio.IoUtils;

/**
 * One client request on its way through the router: picks a backend, borrows a pooled connection,
 * sends the request, and either relays the response or retries on a different backend. Lives on the
 * client connection's IO thread from start to end, so its fields need no synchronization.
 *
 * <p>Retry rules: a request that never reached a backend (connect failure, pool rejection, a
 * connection that failed before the request was written) is retried whatever its method; an
 * idempotent one also after a reset or an invalid response, on a retryable status, or on the per-try
 * timeout. A non-idempotent request that was written is never sent again: a reset after it proves
 * nothing. Every retry but the one after a stale pooled connection needs the service's retry budget.
 */
final class ProxyExchange implements UpstreamPool.Callback, SelectionContext {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProxyExchange.class);

    private static final int MAX_TRIED = 8;

    final HttpServerExchange exchange;
    final RequestPlan plan;
    private final ServiceCluster cluster;
    private final Backend[] tried = new Backend[MAX_TRIED];
    private int triedCount;
    private int attempts;
    private boolean staleRetryUsed;
    /** Bytes the connection had read before this attempt's request: more at a failure means the backend answered. */
    private long readMark;

    private Backend backend;
    private UpstreamConnection connection;
    /** The response timeout or, while a body streams, the idle check; one at a time. */
    private final Deadlines.Timer timeout = new Deadlines.Timer(this::timerFired);
    private boolean idleChecking;
    private long attemptStartNanos;
    private boolean attemptOpen;
    /** Numbers attempts; an upstream callback carries its attempt's number and is ignored once that attempt ended. */
    private int attemptSeq;
    private Pump requestPump;
    private Pump responsePump;
    private long permit;
    private boolean panic;
    /** The clock reading of the current attempt's start; see {@link #attempt}. */
    private long nowNanos;
    /** Inside {@code pool.acquire}: a connection handed over now comes with {@link #nowNanos} still fresh. */
    private boolean acquiring;
    private boolean requestBodyStarted;
    private boolean responseRelayed;
    private boolean upstreamDone;
    /** The whole request (head and body) went out: only then may the connection carry another. */
    private boolean requestSent;
    private boolean finished;
    ProxyError lastError = ProxyError.NO_BACKEND;

    ProxyExchange(HttpServerExchange exchange, RequestPlan plan) {
        this.exchange = exchange;
        this.plan = plan;
        this.cluster = plan.cluster;
    }

    /**
     * Starts the first attempt. Runs on the IO thread, after the handler returned (dispatched), in
     * the same wake-up: the plan's start time is still the time. The clock is read when an event
     * arrives (the request, the response head, the end) and passed along rather than read again.
     */
    void start() {
        cluster.onRequest(plan.startNanos);
        exchange.addExchangeCompleteListener((ex, next) -> {
            try {
                onExchangeComplete();
            } finally {
                next.proceed(); // a failing listener must not leave the exchange (and the connection) unfinished
            }
        });
        if (exchange.getRequestHeaders().contains(Headers.EXPECT) && HttpContinue.requiresContinueResponse(exchange)) {
            // Answered here rather than relayed, so a body can be kept for retries either way.
            HttpContinue.sendContinueResponse(exchange, new IoCallback() {
                @Override
                public void onComplete(HttpServerExchange ex, Sender sender) {
                    ex.dispatch(SameThreadExecutor.INSTANCE, () -> proceed(System.nanoTime()));
                }

                @Override
                public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                    IoUtils.safeClose(ex.getConnection());
                }
            });
            return;
        }
        proceed(plan.startNanos);
    }

    private void proceed(long now) {
        if (plan.bufferedBody == null && plan.bufferBody) {
            BodyBuffer.read(exchange, plan, this::bodyBuffered);
            return;
        }
        attempt(now);
    }

    private void bodyBuffered(ByteBuffer body) {
        plan.bufferedBody = body;
        attempt(System.nanoTime());
    }

    /** Starts an attempt; {@code now}: a clock reading taken in this wake-up. */
    private void attempt(long now) {
        nowNanos = now;
        panic = cluster.inPanic(nowNanos);
        Backend next;
        for (;;) {
            next = cluster.select(this);
            if (next == null) {
                fail(attempts > 0 ? lastError
                        : cluster.saturated(nowNanos, panic) ? ProxyError.UPSTREAM_OVERLOADED : ProxyError.NO_BACKEND);
                return;
            }
            markTried(next);
            permit = cluster.beginAttempt(next, nowNanos, panic);
            if (permit != BackendHealth.REJECTED) {
                break;
            }
            // A half-open circuit with all its trial slots taken (never in panic): try another backend.
        }
        if (attempts > 0) {
            // A failed attempt may have parsed some of its response's headers.
            exchange.getResponseHeaders().clear();
        }
        backend = next;
        attempts++;
        attemptSeq++;
        attemptOpen = true;
        attemptStartNanos = nowNanos;
        if (plan.sticky != null) {
            plan.sticky.pinned(next);
        }
        acquiring = true;
        try {
            next.pool().acquire(exchange.getIoThread(), exchange.getConnection().getByteBufferPool(),
                    plan.connectTimeoutMillis, this);
        } finally {
            acquiring = false;
        }
    }

    // ---- UpstreamPool.Callback ----

    @Override
    public void connected(UpstreamConnection conn, boolean reused) {
        if (finished) {
            backend.pool().release(conn, true);
            return;
        }
        long now = acquiring ? nowNanos : System.nanoTime(); // a new connection, or one waited for
        this.connection = conn;
        this.readMark = conn.bytesRead();
        this.requestSent = false;
        // A dead connection reports through several paths (head write, response read, body write);
        // only the first may end the attempt, and none may touch a later attempt.
        int seq = attemptSeq;
        java.util.function.Consumer<IOException> sendFailed = e -> {
            if (current(seq)) {
                upstreamFailed(Outcome.RESET, e, reused);
            }
        };
        conn.awaitResponse(exchange.getResponseHeaders(), exchange.getRequestMethod().equals(Methods.HEAD),
                plan.upgrade, new UpstreamConnection.ResponseListener() {
                    @Override
                    public void head(ResponseHead head) {
                        if (current(seq)) {
                            responseArrived(head);
                        } else {
                            conn.close();
                        }
                    }

                    @Override
                    public void failed(IOException e) {
                        if (current(seq)) {
                            upstreamFailed(Outcome.RESET, e, reused);
                        }
                    }
                });
        ByteBuffer head = UpstreamRequest.write(exchange, plan, backend);
        if (plan.bufferedBody != null) {
            startResponseTimeout(now);
            conn.send(head, plan.bufferedBody.duplicate(), this::requestWritten, sendFailed);
        } else if (exchange.isRequestComplete() || plan.upgrade) {
            startResponseTimeout(now);
            conn.send(head, null, this::requestWritten, sendFailed);
        } else {
            // A streamed upload is bounded by the idle timeout while it flows; the response timeout
            // starts once the whole body was sent (as Envoy's route timeout starts at end of request).
            requestBodyStarted = true;
            boolean chunked = UpstreamRequest.streamsChunked(exchange, plan);
            conn.send(head, null, () -> {
                if (current(seq)) {
                    streamBody(conn, chunked, seq);
                }
            }, sendFailed);
        }
    }

    private void requestWritten() {
        requestSent = true;
    }

    private void streamBody(UpstreamConnection conn, boolean chunked, int seq) {
        // The backend stopped taking the body: it may have answered early (413, 401, a redirect) and
        // closed. Stop sending and let the read side decide: a response that arrives (or already
        // arrived) is relayed; a reset or end of stream without one fails the attempt as a reset.
        java.util.function.Consumer<IOException> bodyFailed = e -> {
            if (current(seq) && !responseRelayed) {
                log.debug("request body to {} cut ({}): waiting for an early response", backend, e.toString());
                cancelTimeout();
                startResponseTimeout(System.nanoTime());
            }
        };
        requestPump = RequestBody.stream(exchange, conn.requestBody(chunked), chunked ? plan.maxRequestBody : 0, conn::close, this::requestBodySent,
                bodyFailed, this::bodyTooLarge);
        if (!requestPump.isFinished()) {
            scheduleIdleCheck(System.nanoTime());
        }
    }

    @Override
    public void connectFailed(IOException cause, boolean timedOut) {
        if (finished) {
            return;
        }
        endAttempt(Outcome.CONNECT_FAILURE);
        lastError = timedOut ? ProxyError.CONNECT_TIMEOUT : ProxyError.CONNECT_FAILED;
        retryOrFail(true);
    }

    @Override
    public void rejected(String reason) {
        if (finished) {
            return;
        }
        endAttempt(Outcome.LOCAL_REJECT);
        lastError = ProxyError.UPSTREAM_OVERLOADED;
        // Our own limit, not a backend failure: try another backend if one is free (no retry budget,
        // no backoff), else answer 503 at once rather than queueing again behind the same full pool.
        if (attempts < plan.maxAttempts && !requestBodyStarted && otherBackendUsable()) {
            attempt(System.nanoTime());
        } else {
            fail(ProxyError.UPSTREAM_OVERLOADED);
        }
    }

    // ---- sending ----

    private void bodyTooLarge() {
        if (finished) {
            return;
        }
        cancelTimeout();
        endAttempt(Outcome.LOCAL_REJECT);
        closeConnection();
        fail(ProxyError.BODY_TOO_LARGE);
    }

    private void requestBodySent() {
        requestSent = true;
        if (!responseRelayed && !finished) {
            cancelTimeout();
            startResponseTimeout(System.nanoTime());
        }
    }

    /** Arms this try's timer: its per-try timeout, cut to what is left of the response timeout over all tries. */
    private void startResponseTimeout(long now) {
        long millis = plan.tryTimeoutMillis;
        if (plan.responseTimeoutMillis > 0) {
            if (!plan.deadlineSet) {
                plan.deadlineSet = true;
                plan.deadlineNanos = now + TimeUnit.MILLISECONDS.toNanos(plan.responseTimeoutMillis);
            }
            // Rounded up: a try cut to the deadline must not expire before it, or pastDeadline()
            // would still allow another try.
            long left = Math.max(1, (plan.deadlineNanos - now + 999_999) / 1_000_000);
            millis = millis > 0 ? Math.min(millis, left) : left;
        }
        if (millis > 0) {
            idleChecking = false;
            Deadlines.of(exchange.getIoThread()).arm(timeout, millis, now);
        }
    }

    /** Whether the response timeout over all tries has run out (no retry then). */
    private boolean pastDeadline() {
        return plan.deadlineSet && System.nanoTime() - plan.deadlineNanos >= 0;
    }

    private void scheduleIdleCheck(long now) {
        if (plan.idleTimeoutMillis > 0) {
            idleChecking = true;
            Deadlines.of(exchange.getIoThread()).arm(timeout, plan.idleTimeoutMillis, now);
        }
    }

    private void timerFired() {
        if (idleChecking) {
            idleCheck();
        } else {
            responseTimedOut();
        }
    }

    /** No bytes in either direction for the idle timeout while a body streams: abort both sides. */
    private void idleCheck() {
        if (finished) {
            return;
        }
        long last = Math.max(requestPump != null ? requestPump.lastActivityNanos() : Long.MIN_VALUE,
                responsePump != null ? responsePump.lastActivityNanos() : Long.MIN_VALUE);
        if (!Deadlines.of(exchange.getIoThread()).idleOrRearm(timeout, plan.idleTimeoutMillis, last)) {
            return;
        }
        log.debug("{} idle for {} ms on {}: aborting", exchange.getRequestURI(), (System.nanoTime() - last) / 1_000_000, backend);
        if (responseRelayed) {
            // A client that stopped reading the response is not the backend's failure.
            boolean clientStalled = responsePump != null && responsePump.waitingOnSink();
            if (responsePump != null) {
                responsePump.abort();
            }
            if (clientStalled) {
                plan.outcome = Outcome.LOCAL_REJECT; // not the response's status: that would count as a success
            }
            relayFailed(new IOException("idle timeout"), !clientStalled);
        } else if (requestPump != null && !requestPump.isFinished() && !requestPump.waitingOnSink()) {
            // The client stopped sending its body: its fault, not the backend's (408, as nginx's
            // client_body_timeout; the backend's health and circuit are left alone).
            requestPump.abort();
            lastError = ProxyError.REQUEST_TIMEOUT;
            endAttempt(Outcome.LOCAL_REJECT);
            closeConnection();
            fail(ProxyError.REQUEST_TIMEOUT);
        } else {
            // The backend stopped: not answering, or not reading the upload the request pump holds.
            if (requestPump != null && !requestPump.isFinished()) {
                requestPump.abort();
                exchange.setPersistent(false); // the client is still sending a body nobody will read
            }
            lastError = ProxyError.RESPONSE_TIMEOUT;
            endAttempt(Outcome.TIMEOUT);
            closeConnection();
            fail(ProxyError.RESPONSE_TIMEOUT);
        }
    }

    // ---- receiving ----

    private void responseArrived(ResponseHead head) {
        cancelTimeout();
        int status = head.status();
        long now = System.nanoTime();
        backend.observeLatency(now - attemptStartNanos, now);
        // A streamed body was consumed by this attempt: a retry would send it truncated or empty.
        if (cluster.isRetryStatus(status) && plan.idempotent && !requestBodyStarted
                && otherBackendUsable() && canRetry(false)) {
            endAttempt(cluster.classify(status));
            closeConnection();
            lastError = ProxyError.UPSTREAM_RESET;
            retry(false);
            return;
        }
        responseRelayed = true;
        plan.outcome = cluster.classify(status);
        exchange.setStatusCode(status);
        String reason = head.customReason();
        if (reason != null) {
            exchange.setReasonPhrase(reason);
        }
        if (plan.sticky != null) {
            plan.sticky.writeCookie(exchange);
        }
        if (exchange.isHttp10() && exchange.isPersistent() && exchange.getResponseHeaders().contains(Headers.CONTENT_LENGTH)) {
            // An HTTP/1.0 client that asked to keep the connection must be told it is kept (Undertow
            // says so only with ALWAYS_SET_KEEP_ALIVE, which would add the header to every 1.1
            // response). Without a length the response ends with the connection, as 1.0 requires.
            exchange.getResponseHeaders().put(Headers.CONNECTION, "keep-alive");
        }
        ByteSource body;
        if (status == 101) {
            // After the 101 is written, both connections become a raw pipe; the pool lets go of this one.
            Upgrades.prepare(exchange, connection, backend.pool());
            connection = null;
            upstreamDone = true;
            body = ResponseRelay.NO_BODY;
        } else {
            body = connection.responseBody(head);
        }
        Pump pump = ResponseRelay.start(body, exchange, this::upstreamResponseDone, this::relayFailed, now);
        if (responseRelayed) { // not if the body failed at once and this attempt was given up
            responsePump = pump;
            if (!pump.isFinished()) {
                scheduleIdleCheck(now);
            }
        }
    }

    private void upstreamResponseDone() {
        upstreamDone = true;
    }

    private void relayFailed(IOException e, boolean upstreamSide) {
        if (upstreamSide && !exchange.isResponseStarted() && !finished) {
            // The body failed before a byte went to the client (an invalid chunk in the same read as
            // the head): nothing is committed, so this is an invalid response like any other, with a
            // 502 or, for an idempotent request, another backend.
            responseRelayed = false;
            responsePump = null;
            exchange.setReasonPhrase(null);
            upstreamFailed(Outcome.RESET, e, false);
            return;
        }
        if (upstreamSide) {
            plan.outcome = Outcome.RESET;
        }
        closeConnection();
        IoUtils.safeClose(exchange.getConnection());
    }

    private void responseTimedOut() {
        if (finished || responseRelayed) {
            return;
        }
        lastError = ProxyError.RESPONSE_TIMEOUT;
        endAttempt(Outcome.TIMEOUT);
        closeConnection();
        if (plan.idempotent && !requestBodyStarted) {
            retryOrFail(false);
        } else {
            fail(ProxyError.RESPONSE_TIMEOUT);
        }
    }

    private void upstreamFailed(Outcome outcome, IOException e, boolean reusedConnection) {
        cancelTimeout();
        if (log.isDebugEnabled()) {
            log.debug("attempt {} to {} failed ({}): {}", attempts, backend, outcome, e.toString());
        }
        if (finished) {
            return;
        }
        if (responseRelayed) {
            relayFailed(e, true);
            return;
        }
        // Response bytes arrived but made no valid response (garbage, a truncated head): the request
        // reached the application, so only an idempotent request may go to another backend.
        boolean answered = connection != null && connection.bytesRead() > readMark;
        // A pooled connection the backend had already closed. Nothing reached the application if the
        // request could not even be written; once written, a reset proves nothing (the backend may
        // have acted on it and died), so only an idempotent request goes again (as nginx and Go do).
        boolean staleConnection = !answered && reusedConnection && !staleRetryUsed && !requestBodyStarted
                && (!requestSent || plan.idempotent);
        // End the attempt before closing: closing fires this connection's other failure callbacks,
        // which must find the attempt over.
        endAttempt(staleConnection ? Outcome.LOCAL_REJECT : outcome);
        closeConnection();
        lastError = answered ? ProxyError.UPSTREAM_INVALID : ProxyError.UPSTREAM_RESET;
        if (staleConnection) {
            staleRetryUsed = true;
            untry(backend);
            attempt(System.nanoTime());
            return;
        }
        retryOrFail(!requestBodyStarted && !answered && !requestSent);
    }

    // ---- retry decisions ----

    /** @param neverReached the request provably did not reach the application (any method may retry) */
    private void retryOrFail(boolean neverReached) {
        boolean allowed = (neverReached || plan.idempotent) && !requestBodyStarted;
        if (allowed && canRetry(true)) {
            retry(true);
        } else {
            fail(lastError);
        }
    }

    private boolean canRetry(boolean failIfBudgetExhausted) {
        if (attempts >= plan.maxAttempts || exchange.isResponseStarted() || pastDeadline()) {
            return false;
        }
        if (!cluster.tryRetry(System.nanoTime())) {
            if (failIfBudgetExhausted && lastError.status() == 503) {
                lastError = ProxyError.RETRY_BUDGET_EXHAUSTED;
            }
            return false;
        }
        return true;
    }

    private void retry(boolean backoff) {
        plan.retries++;
        long delay = backoff ? cluster.backoffNanos(plan.retries, ThreadLocalRandom.current()) : 0;
        if (delay <= 0) {
            attempt(System.nanoTime());
        } else {
            exchange.getIoThread().executeAfter(() -> {
                if (!finished) {
                    attempt(System.nanoTime());
                }
            }, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void fail(ProxyError error) {
        if (finished) {
            return;
        }
        plan.error = error;
        error.send(exchange);
    }

    // ---- bookkeeping ----

    /** Ends the current attempt exactly once: releases its in-flight slot and feeds health. */
    private void endAttempt(Outcome outcome) {
        if (attemptOpen) {
            endAttempt(outcome, System.nanoTime());
        }
    }

    private void endAttempt(Outcome outcome, long now) {
        if (attemptOpen) {
            attemptOpen = false;
            if (outcome == Outcome.TIMEOUT || outcome == Outcome.RESET || outcome == Outcome.CONNECT_FAILURE) {
                // An attempt that got no response still took this long (a timeout: the whole timeout).
                // Latency-aware strategies must see it, or a backend that never answers keeps the
                // estimate of one that has not been measured yet and wins every comparison.
                backend.observeLatency(now - attemptStartNanos, now);
            }
            cluster.endAttempt(backend, permit, outcome, now);
            if (outcome.isFailure()) {
                plan.attemptFailed(backend, outcome);
            }
        }
    }

    /**
     * Whether a retry could find a backend not tried yet. Checked before a retryable status is
     * discarded: with none left, the backend's own response is relayed rather than replaced by a
     * router error (and no retry budget is spent). O(members), only on that path.
     */
    private boolean otherBackendUsable() {
        for (Backend b : cluster.backends()) {
            if (b != backend && usable(b)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a callback of attempt {@code seq} still speaks for the open attempt. */
    private boolean current(int seq) {
        return seq == attemptSeq && attemptOpen;
    }

    private void markTried(Backend b) {
        if (triedCount < MAX_TRIED) {
            tried[triedCount++] = b;
        }
    }

    private void untry(Backend b) {
        if (triedCount > 0 && tried[triedCount - 1] == b) {
            triedCount--;
        }
        attempts--;
    }

    private void closeConnection() {
        if (connection != null) {
            backend.pool().release(connection, false);
            connection = null;
        }
    }

    private void cancelTimeout() {
        if (timeout.armed()) {
            Deadlines.of(exchange.getIoThread()).disarm(timeout);
        }
    }

    private void onExchangeComplete() {
        finished = true;
        long now = System.nanoTime();
        cancelTimeout();
        // A relayed response ends its attempt here; anything still open was abandoned by the client.
        endAttempt(responseRelayed ? plan.outcome : Outcome.LOCAL_REJECT, now);
        if (connection != null) {
            boolean reusable = upstreamDone && requestSent && connection.reusable();
            backend.pool().release(connection, reusable, now);
            connection = null;
        }
        plan.complete(exchange, backend, now);
    }

    // ---- SelectionContext ----

    @Override
    public boolean usable(Endpoint endpoint) {
        for (int i = 0; i < triedCount; i++) {
            if (tried[i] == endpoint) {
                return false;
            }
        }
        return cluster.admits((Backend) endpoint, nowNanos, panic);
    }

    @Override
    public long hashKey() {
        return plan.hashKey;
    }

    @Override
    public boolean hasHashKey() {
        return plan.hasHashKey;
    }

    @Override
    public String stickyKey() {
        return plan.sticky != null ? plan.sticky.requestedId() : null;
    }

    @Override
    public long nowNanos() {
        return nowNanos;
    }

    @Override
    public RandomGenerator random() {
        return ThreadLocalRandom.current();
    }
}
