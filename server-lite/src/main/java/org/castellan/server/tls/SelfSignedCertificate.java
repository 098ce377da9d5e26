package org.castellan.server.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the server's first-start certificate: EC P-256, self-signed, valid 825 days (the longest
 * lifetime clients such as macOS accept), for localhost, the loopback addresses and this host's name.
 * Clients trust it by pinning its SHA-256 fingerprint, which the server prints.
 */
public final class SelfSignedCertificate {
    static final Duration VALIDITY = Duration.ofDays(825);

    private SelfSignedCertificate() {}

    public record Generated(KeyPair keyPair, X509Certificate certificate) {}

    public static Generated generate(SecureRandom random, Instant now) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair keyPair = generator.generateKeyPair();
        String hostname = localHostname();
        X500Name subject = new X500Name("CN=" + (hostname == null ? "localhost" : sanitize(hostname))
                + ",O=Castellan self-signed");
        byte[] serial = new byte[16];
        random.nextBytes(serial);
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(1, serial), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(VALIDITY)), subject, keyPair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(hostname));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            return new Generated(keyPair, certificate);
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new GeneralSecurityException("cannot build the self-signed certificate", e);
        }
    }

    private static GeneralNames subjectAltNames(String hostname) {
        Set<String> dnsNames = new LinkedHashSet<>(List.of("localhost"));
        if (hostname != null) {
            dnsNames.add(hostname);
        }
        List<GeneralName> names = new ArrayList<>();
        for (String dns : dnsNames) {
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }

    /** This machine's host name, if it is a valid DNS name; null otherwise. */
    static String localHostname() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name != null && name.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})") ? name : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^A-Za-z0-9.-]", "");
    }
}
