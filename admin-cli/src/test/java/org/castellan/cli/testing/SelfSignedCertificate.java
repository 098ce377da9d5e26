package org.castellan.cli.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.castellan.protocol.tls.Fingerprints;

/** A fresh self-signed EC certificate, like the one the server makes on first start. */
public record SelfSignedCertificate(KeyPair keyPair, X509Certificate certificate) {
    public static final char[] STORE_PASSWORD = "changeit".toCharArray();

    public static SelfSignedCertificate create(String commonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair keyPair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name,
                    keyPair.getPublic());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            return new SelfSignedCertificate(keyPair, certificate);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make test certificate", e);
        }
    }

    public String fingerprint() {
        return Fingerprints.sha256Hex(certificate);
    }

    public KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", keyPair.getPrivate(), STORE_PASSWORD, new X509Certificate[] {certificate});
            return store;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build key store", e);
        }
    }
}
