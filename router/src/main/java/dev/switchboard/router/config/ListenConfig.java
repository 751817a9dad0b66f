package dev.switchboard.router.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;

/**
 * The public listener.
 *
 * @param address              bind address (default {@code 0.0.0.0})
 * @param port                 bind port (default 8080)
 * @param ioThreads            Undertow IO threads; 0 means one per core
 * @param maxHeaderSize        largest request head accepted, in bytes; larger gets 431
 * @param maxUrlLength         longest request target accepted; longer gets 414
 * @param maxRequestBody       largest request body, in bytes; larger gets 413; 0 means unlimited
 * @param idleTimeout          close client connections idle this long
 * @param requestHeaderTimeout a client must send a complete request head within this time (slowloris)
 * @param drainTimeout         on shutdown, how long in-flight requests may take to finish
 * @param trustedProxies       CIDRs whose incoming X-Forwarded-* headers are trusted and extended
 */
public record ListenConfig(
        String address,
        Integer port,
        Integer ioThreads,
        @JsonDeserialize(using = ByteSizeDeserializer.class) Long maxHeaderSize,
        Integer maxUrlLength,
        @JsonDeserialize(using = ByteSizeDeserializer.class) Long maxRequestBody,
        Duration idleTimeout,
        Duration requestHeaderTimeout,
        Duration drainTimeout,
        List<String> trustedProxies) {

    public static final ListenConfig DEFAULT = new ListenConfig(null, null, null, null, null, null, null, null, null, null);

    public ListenConfig {
        address = address != null ? address : "0.0.0.0";
        port = port != null ? port : 8080;
        ioThreads = ioThreads != null ? ioThreads : 0;
        maxHeaderSize = maxHeaderSize != null ? maxHeaderSize : 16 * 1024L;
        maxUrlLength = maxUrlLength != null ? maxUrlLength : 8192;
        maxRequestBody = maxRequestBody != null ? maxRequestBody : 0L;
        idleTimeout = idleTimeout != null ? idleTimeout : Duration.ofSeconds(60);
        requestHeaderTimeout = requestHeaderTimeout != null ? requestHeaderTimeout : Duration.ofSeconds(10);
        drainTimeout = drainTimeout != null ? drainTimeout : Duration.ofSeconds(30);
        trustedProxies = trustedProxies != null ? List.copyOf(trustedProxies) : List.of();
    }
}
