package dev.switchboard.discovery.consul.testing;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.ConsulRawClient;
import dev.switchboard.discovery.consul.ConsulSettings;
import java.util.List;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.message.BasicHeader;
import org.opentest4j.TestAbortedException;

/**
 * A real Consul agent for one test class, provided by {@link ConsulAgentExtension}. Its
 * {@link #client()} sends the management token (ACL mode) on every request.
 */
public abstract class ConsulAgent implements AutoCloseable {

    private ConsulClient client;
    private CloseableHttpClient httpClient;

    /** {@code host:port} of the HTTP API. */
    public abstract String httpAddress();

    /** How this agent came to be, e.g. {@code consul binary /path (pid 123)}. */
    public abstract String description();

    /** The ACL management token, or null when ACLs are off. */
    public abstract String managementToken();

    /** Whether {@link #stop()} and {@link #start()} work (only for an agent process we started). */
    public abstract boolean restartable();

    /** Stops the agent; the HTTP port refuses connections until {@link #start()}. */
    public void stop() {
        throw new TestAbortedException("stop() needs a consul agent started by the test (" + description() + ")");
    }

    /** Starts the stopped agent again on the same ports and waits until it has a leader. */
    public void start() {
        throw new TestAbortedException("start() needs a consul agent started by the test (" + description() + ")");
    }

    public boolean aclEnabled() {
        return managementToken() != null;
    }

    public String httpUrl() {
        return "http://" + httpAddress();
    }

    /** An Ecwid client for this agent that sends the management token, if any. */
    public synchronized ConsulClient client() {
        if (client == null) {
            String token = managementToken();
            httpClient = HttpClients.custom()
                    .setDefaultHeaders(token == null ? List.of() : List.of(new BasicHeader("X-Consul-Token", token)))
                    .build();
            int colon = httpAddress().lastIndexOf(':');
            client = new ConsulClient(new ConsulRawClient(httpClient, "http://" + httpAddress().substring(0, colon),
                    Integer.parseInt(httpAddress().substring(colon + 1)), ""));
        }
        return client;
    }

    /**
     * Discovery settings for this agent with fast test pacing: the management token, a 5 s wait,
     * 50 ms minimum interval, retries from 50 ms up to 500 ms, a 10 ms publish delay.
     */
    public ConsulSettings.Builder settings() {
        return ConsulSettings.builder()
                .address(httpAddress())
                .token(managementToken())
                .waitTime(java.time.Duration.ofSeconds(5))
                .minInterval(java.time.Duration.ofMillis(50))
                .retryMin(java.time.Duration.ofMillis(50))
                .retryMax(java.time.Duration.ofMillis(500))
                .publishDelay(java.time.Duration.ofMillis(10))
                .random(new java.util.Random(42));
    }

    /**
     * A raw HTTP request to the agent with the management token, for what the Ecwid client lacks
     * (e.g. registering {@code Weights}). Returns the body.
     *
     * @throws IllegalStateException on a non-2xx status, with the status and body
     */
    public String http(String method, String path, String jsonBody) {
        try {
            java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(httpUrl() + path))
                    .timeout(java.time.Duration.ofSeconds(10))
                    .method(method, jsonBody == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofString(jsonBody));
            if (managementToken() != null) {
                b.header("X-Consul-Token", managementToken());
            }
            java.net.http.HttpResponse<String> r = RAW.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return r.body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + ": interrupted", e);
        }
    }

    private static final java.net.http.HttpClient RAW = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(2)).build();

    /** Releases the client; subclasses stop what they started. */
    @Override
    public void close() {
        synchronized (this) {
            if (httpClient != null) {
                try {
                    httpClient.close();
                } catch (java.io.IOException e) {
                    // test cleanup: nothing useful to do
                }
                httpClient = null;
                client = null;
            }
        }
    }

    @Override
    public String toString() {
        return description();
    }
}
