package dev.switchboard.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS to Consul with a CA file: the PEM is loaded, a bad path fails clearly, and the client
 * trusts a server signed by that CA and nothing else. The HTTPS peer is a JDK test server with a
 * certificate from src/test/resources/tls, not a Consul (TLS trust is what is tested here).
 */
class PemTrustTest {

    static Path resource(String name) throws Exception {
        return Path.of(PemTrustTest.class.getResource("/tls/" + name).toURI());
    }

    @Test
    void loadsTheCaCertificate() throws Exception {
        KeyStore ks = PemTrust.trustStore(resource("ca.pem"));
        assertThat(ks.size()).isOne();
        var cert = (java.security.cert.X509Certificate) ks.getCertificate(ks.aliases().nextElement());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=switchboard test CA");
    }

    @Test
    void aMissingFileIsAClearError(@TempDir Path dir) {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> PemTrust.sslContext(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("caFile: " + missing + " (expected: a readable PEM file with CA certificates)");
        assertThatThrownBy(() -> new ConsulDiscovery(ConsulSettings.builder().address("https://127.0.0.1:1")
                .caFile(missing).build())).hasMessageContaining("caFile: " + missing);
    }

    @Test
    void aFileWithoutCertificatesIsAClearError(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        assertThatThrownBy(() -> PemTrust.sslContext(junk))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("caFile: " + junk + " (expected: ");
    }

    @Test
    void theClientTrustsTheCaFileAndNotTheJvmDefaults() throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
        server.createContext("/v1/catalog/services", ex -> {
            byte[] body = "{\"web\":[\"urlprefix-/\"]}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("X-Consul-Index", "42");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        String address = "https://127.0.0.1:" + server.getAddress().getPort();
        try (ConsulHttp trusted = new ConsulHttp(ConsulSettings.builder().address(address).caFile(resource("ca.pem")).build());
             ConsulHttp untrusted = new ConsulHttp(ConsulSettings.builder().address(address).build())) {
            ConsulHttp.Response r = trusted.get("/v1/catalog/services", 0, List.of());
            assertThat(r.body()).contains("urlprefix-/");
            assertThat(r.index()).isEqualTo(42);
            assertThatThrownBy(() -> untrusted.get("/v1/catalog/services", 0, List.of()))
                    .isInstanceOf(ConsulRequestException.class)
                    .hasMessageStartingWith("GET /v1/catalog/services: ")
                    .hasMessageContaining("certification path");
        } finally {
            server.stop(0);
        }
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(resource("server.p12"))) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
