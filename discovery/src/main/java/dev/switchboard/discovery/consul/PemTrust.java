package dev.switchboard.discovery.consul;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds an {@link SSLContext} that trusts exactly the CA certificates of a PEM file. */
public final class PemTrust {

    private PemTrust() {
    }

    /**
     * Reads every certificate in {@code caFile} and returns a TLS context trusting only them.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static SSLContext sslContext(Path caFile) {
        KeyStore trust = trustStore(caFile);
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("caFile: " + caFile + " (TLS context could not be built: " + e.getMessage() + ")", e);
        }
    }

    /** The certificates of {@code caFile} as an in-memory trust store. */
    public static KeyStore trustStore(Path caFile) {
        if (!Files.isRegularFile(caFile) || !Files.isReadable(caFile)) {
            throw new IllegalArgumentException("caFile: " + caFile + " (expected: a readable PEM file with CA certificates)");
        }
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(caFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("caFile: " + caFile + " (expected: PEM certificates; " + e.getMessage() + ")", e);
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("caFile: " + caFile + " (expected: at least one PEM certificate, found none)");
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                String alias = c instanceof X509Certificate x ? "ca-" + i + "-" + x.getSubjectX500Principal().getName() : "ca-" + i;
                ks.setCertificateEntry(alias, c);
                i++;
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("caFile: " + caFile + " (trust store could not be built: " + e.getMessage() + ")", e);
        }
    }
}
