package org.castellan.server.users;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** The raw Argon2id function (version 0x13), kept apart from the PHC encoding around it. */
final class Argon2id {
    private Argon2id() {}

    static byte[] derive(byte[] password, byte[] salt, Argon2Params params, int length) {
        return derive(password, salt, params, null, null, length);
    }

    /** {@code secret} and {@code associatedData} may be null; they exist for the RFC 9106 vector. */
    static byte[] derive(byte[] password, byte[] salt, Argon2Params params,
                         byte[] secret, byte[] associatedData, int length) {
        Argon2Parameters.Builder builder = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(params.memoryKiB())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism());
        if (secret != null) {
            builder.withSecret(secret);
        }
        if (associatedData != null) {
            builder.withAdditional(associatedData);
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(builder.build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}
