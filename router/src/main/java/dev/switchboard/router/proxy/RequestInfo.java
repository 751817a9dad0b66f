package dev.switchboard.router.proxy;

import dev.switchboard.router.health.Outcome;

/** What happened to one proxied request, for metrics and the access log. */
public interface RequestInfo {

    /** The outcome of the last attempt ({@link Outcome#SUCCESS} when a response was relayed normally). */
    Outcome outcome();

    /** The error the router answered with, or null if a backend's response was relayed. */
    ProxyError error();

    /** Retries made (attempts minus one, not counting a replay after a stale pooled connection). */
    int retries();

    /** The request body's declared length ({@code Content-Length}), or -1 when it had none (chunked). */
    long requestLength();

    /**
     * The {@code System.nanoTime()} reading taken as the request arrived: with the listener's
     * duration it gives the completion time without reading the clock again.
     */
    long startNanos();
}
