package dev.switchboard.router.upstream;

import java.io.IOException;

/** The backend's bytes are not a valid HTTP/1.1 response (garbage, an oversized head, bad framing). */
public final class InvalidResponseException extends IOException {

    public InvalidResponseException(String message) {
        super(message);
    }

    /** An expected condition reported in one log line: no stack trace to fill. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
