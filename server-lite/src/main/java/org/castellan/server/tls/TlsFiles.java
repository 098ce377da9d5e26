package org.castellan.server.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import org.castellan.server.files.SecureFiles;

/**
 * The server's TLS keystore: a configured PKCS12 file, or the self-signed one kept in
 * {@code DIR/tls/} (keystore and its random password, both 0600), made on first start.
 */
public final class TlsFiles {
    static final String ALIAS = "castellan";
    private final Path dir;

    public TlsFiles(Path dataDir) {
        this.dir = dataDir.resolve("tls");
    }

    public Path keystorePath() {
        return dir.resolve("server.p12");
    }

    public Path passwordPath() {
        return dir.resolve("server.p12.password");
    }

    /** Loads the self-signed keystore, creating it first if this is the first start. */
    public TlsMaterial loadOrCreate(SecureRandom random, Instant now) throws IOException, GeneralSecurityException {
        if (!Files.exists(keystorePath())) {
            create(random, now);
        }
        char[] password = new String(Files.readAllBytes(passwordPath()), StandardCharsets.US_ASCII).trim().toCharArray();
        return load(keystorePath(), password);
    }

    /** Loads an operator-provided PKCS12 keystore; its first key entry is the server certificate. */
    public static TlsMaterial load(Path keystorePath, char[] password) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystorePath)) {
            keyStore.load(in, password);
        }
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(alias)) {
                Certificate certificate = keyStore.getCertificate(alias);
                if (certificate instanceof X509Certificate x509) {
                    return new TlsMaterial(keyStore, password, x509);
                }
            }
        }
        throw new GeneralSecurityException("keystore " + keystorePath + " holds no key with an X.509 certificate");
    }

    private void create(SecureRandom random, Instant now) throws IOException, GeneralSecurityException {
        SecureFiles.createPrivateDirectory(dir);
        byte[] passwordBytes = new byte[24];
        random.nextBytes(passwordBytes);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(passwordBytes).toCharArray();
        SelfSignedCertificate.Generated generated = SelfSignedCertificate.generate(random, now);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry(ALIAS, generated.keyPair().getPrivate(), password,
                new Certificate[] {generated.certificate()});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        keyStore.store(bytes, password);
        SecureFiles.writeNew(passwordPath(), new String(password).getBytes(StandardCharsets.US_ASCII));
        SecureFiles.writeNew(keystorePath(), bytes.toByteArray());
    }
}
