package org.castellan.server.tls;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import org.castellan.protocol.tls.Fingerprints;

/** The loaded server keystore and the certificate clients pin. */
public final class TlsMaterial {
    private final KeyStore keyStore;
    private final char[] password;
    private final X509Certificate certificate;

    TlsMaterial(KeyStore keyStore, char[] password, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.password = password;
        this.certificate = certificate;
    }

    public KeyStore keyStore() {
        return keyStore;
    }

    /** The keystore (and key) password, for Jetty's SslContextFactory. */
    public String password() {
        return new String(password);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String fingerprint() {
        return Fingerprints.sha256Hex(certificate);
    }

    @Override
    public String toString() {
        return "TlsMaterial[" + fingerprint() + "]";
    }
}
