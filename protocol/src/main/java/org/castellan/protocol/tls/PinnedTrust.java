package org.castellan.protocol.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Client-side TLS trust: either the system CAs, or exactly one server certificate named by its
 * SHA-256 fingerprint (for the self-signed certificate the server makes on first start).
 */
public final class PinnedTrust {
    private final X509TrustManager trustManager;
    private final SSLSocketFactory socketFactory;
    private final boolean pinned;

    private PinnedTrust(X509TrustManager trustManager, boolean pinned) {
        this.trustManager = trustManager;
        this.pinned = pinned;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, new SecureRandom());
            this.socketFactory = context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS", e);
        }
    }

    /** Trust only the certificate with this fingerprint, whatever its name or issuer. */
    public static PinnedTrust pinned(String sha256Fingerprint) {
        byte[] expected = HexFormat.of().parseHex(Fingerprints.normalize(sha256Fingerprint));
        return new PinnedTrust(new FingerprintTrustManager(expected), true);
    }

    /** Trust the JDK's default CA store. */
    public static PinnedTrust systemCas() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return new PinnedTrust(x509, false);
                }
            }
            throw new IllegalStateException("no X509 trust manager in the JDK");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load system CA certificates", e);
        }
    }

    public X509TrustManager trustManager() {
        return trustManager;
    }

    public SSLSocketFactory socketFactory() {
        return socketFactory;
    }

    /**
     * When pinned, the fingerprint is the identity, so the host name is not checked (a server
     * reached by IP address or a new DNS name stays trusted); otherwise normal host name checks apply.
     */
    public boolean isPinned() {
        return pinned;
    }

    private static final class FingerprintTrustManager implements X509TrustManager {
        private final byte[] expected;

        FingerprintTrustManager(byte[] expected) {
            this.expected = expected;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("server sent no certificate");
            }
            byte[] actual;
            try {
                actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
            } catch (GeneralSecurityException e) {
                throw new CertificateException("cannot fingerprint server certificate", e);
            }
            if (!MessageDigest.isEqual(expected, actual)) {
                throw new CertificateException("server certificate fingerprint " + HexFormat.of().formatHex(actual)
                        + " does not match the pinned fingerprint " + HexFormat.of().formatHex(expected));
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
