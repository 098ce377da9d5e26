package org.castellan.server.backup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.castellan.server.users.Argon2Params;

/**
 * The key a backup is sealed with: Argon2id (BouncyCastle, version 0x13) over the recovery
 * passphrase and the file's random 16-byte salt gives 64 bytes; the first 32 are the AES-256-GCM
 * key, the last 32 only feed the header's key check, which tells a wrong passphrase apart from a
 * damaged file. Cost parameters travel in the (authenticated) header and are bounded by
 * {@link Argon2Params}, so a crafted file cannot make a restore allocate gigabytes.
 */
final class BackupKey implements AutoCloseable {
    /** 64 MiB, 3 passes, 1 lane: about half a second here, far costlier than a login hash. */
    static final Argon2Params DEFAULT = new Argon2Params(64 * 1024, 3, 1);
    private static final byte[] CHECK_LABEL = "castellan-backup-key-check-v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] derived;

    private BackupKey(byte[] derived) {
        this.derived = derived;
    }

    static BackupKey derive(byte[] passphrase, byte[] salt, Argon2Params params) {
        Argon2Parameters argon = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(params.memoryKiB())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(argon);
        byte[] out = new byte[64];
        generator.generateBytes(passphrase, out);
        return new BackupKey(out);
    }

    SecretKeySpec aesKey() {
        return new SecretKeySpec(derived, 0, 32, "AES");
    }

    /** 16 bytes that show the passphrase is right without revealing anything about the AES key. */
    byte[] check() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(CHECK_LABEL);
            sha.update(derived, 32, 32);
            return Arrays.copyOf(sha.digest(), 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        Arrays.fill(derived, (byte) 0);
    }
}
