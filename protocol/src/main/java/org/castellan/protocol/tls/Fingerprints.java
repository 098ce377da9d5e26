package org.castellan.protocol.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 certificate fingerprints, as the server prints them and clients pin them. */
public final class Fingerprints {
    private Fingerprints() {}

    /** Lower-case hex of SHA-256 over the DER certificate, no separators. */
    public static String sha256Hex(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate", e);
        }
    }

    /**
     * Accepts what people paste: upper or lower case, with or without colons or spaces.
     *
     * @throws IllegalArgumentException if it is not 64 hex digits once cleaned
     */
    public static String normalize(String fingerprint) {
        String cleaned = fingerprint.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        if (cleaned.startsWith("sha256/")) {
            cleaned = cleaned.substring("sha256/".length());
        }
        if (!cleaned.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a SHA-256 fingerprint is 64 hex digits");
        }
        return cleaned;
    }
}
