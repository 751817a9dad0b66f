package dev.switchboard.discovery.consul;

import com.ecwid.consul.SingleUrlParameters;
import com.ecwid.consul.UrlParameters;
import com.ecwid.consul.transport.AbstractHttpTransport;
import com.ecwid.consul.transport.HttpResponse;
import com.ecwid.consul.v1.ConsistencyMode;
import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.ConsulRawClient;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.Request;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import org.apache.http.HttpResponseInterceptor;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * The HTTP side of talking to Consul: one Apache HttpClient (our timeouts, TLS from a CA file, a
 * pool large enough for one blocking request per watch) under Ecwid's {@link ConsulRawClient}.
 * Adds token, datacenter and consistency to every read, counts requests, and turns failures into
 * {@link ConsulRequestException}s that name the request. Thread-safe.
 */
public final class ConsulHttp implements AutoCloseable {

    /** Ecwid logs request headers, token included, at FINEST; keep that logger above it. */
    private static final Logger ECWID_TRANSPORT_LOG = Logger.getLogger(AbstractHttpTransport.class.getName());

    static {
        ECWID_TRANSPORT_LOG.setLevel(Level.INFO);
    }

    /**
     * A response with a success (or, for KV, 404) status.
     *
     * @param aclWarning why Consul may have hidden results from this token, or null
     */
    public record Response(int status, String body, long index, String aclWarning) {
    }

    /** ACL headers of the last response on this thread (the client runs interceptors on the caller). */
    private static final ThreadLocal<String[]> ACL_HEADERS = ThreadLocal.withInitial(() -> new String[2]);

    private final ConsulSettings settings;
    private final CloseableHttpClient httpClient;
    private final PoolingHttpClientConnectionManager connections;
    private final ConsulRawClient raw;
    private final ConsulClient client;
    private final AtomicLong requests = new AtomicLong();

    public ConsulHttp(ConsulSettings settings) {
        this.settings = settings;
        String base = settings.baseUrl();
        URI uri = URI.create(base);
        SSLContext ssl = settings.caFile() != null ? PemTrust.sslContext(settings.caFile()) : null;
        RegistryBuilder<ConnectionSocketFactory> sockets = RegistryBuilder.<ConnectionSocketFactory>create()
                .register("http", PlainConnectionSocketFactory.getSocketFactory())
                .register("https", ssl != null ? new SSLConnectionSocketFactory(ssl)
                        : SSLConnectionSocketFactory.getSocketFactory());
        connections = new PoolingHttpClientConnectionManager(sockets.build());
        connections.setMaxTotal(4096);
        connections.setDefaultMaxPerRoute(4096);
        // Consul may hold a blocking request for wait + wait/16; give it that plus a margin.
        long waitMs = settings.waitTime().toMillis();
        int socketTimeout = (int) Math.min(Integer.MAX_VALUE, waitMs + waitMs / 8 + 15_000);
        RequestConfig rc = RequestConfig.custom()
                .setConnectTimeout(5_000).setConnectionRequestTimeout(5_000).setSocketTimeout(socketTimeout).build();
        httpClient = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(rc)
                .disableAutomaticRetries()
                .disableCookieManagement()
                .addInterceptorFirst((org.apache.http.HttpRequestInterceptor) (req, ctx) -> requests.incrementAndGet())
                .addInterceptorLast((HttpResponseInterceptor) (resp, ctx) -> {
                    String[] acl = ACL_HEADERS.get();
                    org.apache.http.Header filtered = resp.getFirstHeader("X-Consul-Results-Filtered-By-ACLs");
                    org.apache.http.Header policy = resp.getFirstHeader("X-Consul-Default-Acl-Policy");
                    acl[0] = filtered == null ? null : filtered.getValue();
                    acl[1] = policy == null ? null : policy.getValue();
                })
                .build();
        raw = new ConsulRawClient(httpClient, uri.getScheme() + "://" + uri.getHost(), uri.getPort(), "");
        client = new ConsulClient(raw);
    }

    /** The typed Ecwid client over the same connections (registration, KV writes, tests). */
    public ConsulClient client() {
        return client;
    }

    public ConsulSettings settings() {
        return settings;
    }

    /** Requests sent since this object was built. */
    public long requests() {
        return requests.get();
    }

    /**
     * A read. With {@code index > 0} it blocks up to the configured wait time; with 0 it answers at
     * once. 404 is returned (KV uses it for "no key"); other non-2xx statuses throw.
     */
    public Response get(String path, long index, List<String> flags) throws ConsulRequestException {
        QueryParams.Builder qp = QueryParams.Builder.builder()
                .setConsistencyMode(settings.staleReads() ? ConsistencyMode.STALE : ConsistencyMode.DEFAULT);
        if (settings.datacenter() != null) {
            qp.setDatacenter(settings.datacenter());
        }
        if (index > 0) {
            qp.setIndex(index).setWaitTime(Math.max(1, settings.waitTime().toSeconds()));
        }
        List<UrlParameters> params = new ArrayList<>();
        params.add(qp.build());
        for (String f : flags) {
            params.add(new SingleUrlParameters(f));
        }
        Request request = Request.Builder.newBuilder().setEndpoint(path).addUrlParameters(params)
                .setToken(settings.token()).build();
        HttpResponse r;
        String[] acl = ACL_HEADERS.get();
        acl[0] = null;
        acl[1] = null;
        try {
            r = raw.makeGetRequest(request);
        } catch (RuntimeException e) {
            throw new ConsulRequestException("GET " + path + ": " + describe(e), e);
        }
        int status = r.getStatusCode();
        if (status == 429) {
            throw new ConsulRequestException("GET " + path + ": HTTP 429 " + brief(r.getContent()) + " (each watched"
                    + " service holds one connection; raise Consul's limits.http_max_conns_per_client, default 200,"
                    + " above the number of watches)", status);
        }
        if (status != 200 && status != 404) {
            throw new ConsulRequestException("GET " + path + ": HTTP " + status + " " + brief(r.getContent()), status);
        }
        Long idx = r.getConsulIndex();
        return new Response(status, r.getContent(), idx == null ? 0 : idx, aclWarning(acl[0], acl[1]));
    }

    /**
     * Consul says so when it filtered results for a token ({@code X-Consul-Results-Filtered-By-ACLs}),
     * but not for the anonymous token; then a default policy of {@code deny} is the sign.
     */
    private String aclWarning(String filteredHeader, String defaultPolicy) {
        if ("true".equalsIgnoreCase(filteredHeader)) {
            return "results filtered by ACLs (the token lacks read permission on some services or nodes)";
        }
        if (settings.token() == null && "deny".equalsIgnoreCase(defaultPolicy)) {
            return "no ACL token configured and Consul's default ACL policy is deny: results the anonymous token"
                    + " cannot read are hidden (set CONSUL_HTTP_TOKEN or the consul token)";
        }
        return null;
    }

    /** A path segment (service name, KV key part) percent-encoded. */
    public static String encodeSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A KV key percent-encoded segment by segment, keeping its slashes. */
    public static String encodeKey(String key) {
        StringBuilder sb = new StringBuilder();
        String[] parts = key.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(encodeSegment(parts[i]));
        }
        return sb.toString();
    }

    /** One line saying why a request failed, without stack traces or the token. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + brief(msg));
    }

    static String brief(String s) {
        if (s == null) {
            return "";
        }
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    /** Closes all connections; blocking requests in flight fail at once. */
    @Override
    public void close() {
        connections.shutdown();
        try {
            httpClient.close();
        } catch (java.io.IOException e) {
            // connections are already shut down; nothing left to release
        }
    }
}
