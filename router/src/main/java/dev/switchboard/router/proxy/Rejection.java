package dev.switchboard.router.proxy;

import dev.switchboard.router.health.Outcome;

/** A request the router answered with {@code error} before trying any backend. */
record Rejection(ProxyError error, long requestLength, long startNanos) implements RequestInfo {

    @Override
    public Outcome outcome() {
        return Outcome.LOCAL_REJECT;
    }

    @Override
    public int retries() {
        return 0;
    }
}
