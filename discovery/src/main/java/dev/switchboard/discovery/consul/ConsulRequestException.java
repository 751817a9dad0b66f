package dev.switchboard.discovery.consul;

/**
 * A Consul request that failed: transport error, non-success HTTP status, or a body that could not
 * be decoded. The message says which request and why, and never contains the token.
 */
public final class ConsulRequestException extends Exception {

    private final int status;

    public ConsulRequestException(String message, int status) {
        super(message);
        this.status = status;
    }

    public ConsulRequestException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, or 0 when no response was received. */
    public int status() {
        return status;
    }
}
