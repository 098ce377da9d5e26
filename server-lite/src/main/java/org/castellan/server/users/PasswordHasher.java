package org.castellan.server.users;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.castellan.protocol.Secret;

/**
 * Hashes user passwords with Argon2id (BouncyCastle) into PHC strings, and checks them.
 *
 * <p>Thread-safe. Each hash costs {@code params.memoryKiB()} of heap while it runs.
 */
public final class PasswordHasher {
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;

    private final Argon2Params params;
    private final SecureRandom random;
    // Verified against when the user does not exist, so "no such user" costs as much as
    // "wrong password" and the timing does not reveal which names exist.
    private final String dummyHash;

    public PasswordHasher() {
        this(Argon2Params.DEFAULT, new SecureRandom());
    }

    public PasswordHasher(Argon2Params params, SecureRandom random) {
        this.params = Objects.requireNonNull(params, "params");
        this.random = Objects.requireNonNull(random, "random");
        try (Secret dummy = Secret.of("castellan-dummy-password")) {
            this.dummyHash = hash(dummy);
        }
    }

    public Argon2Params params() {
        return params;
    }

    /** A fresh PHC string: {@code $argon2id$v=19$m=...,t=...,p=...$salt$hash}. */
    public String hash(Secret password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] pwd = password.utf8();
        try {
            return new PhcHash(params, salt, Argon2id.derive(pwd, salt, params, HASH_BYTES)).encode();
        } finally {
            Arrays.fill(pwd, (byte) 0);
        }
    }

    /**
     * True when {@code password} matches {@code encoded}. The final comparison is constant-time.
     *
     * @throws IllegalArgumentException when {@code encoded} is not a well-formed Argon2id PHC
     *     string (a corrupt row is a server fault, not a wrong password)
     */
    public boolean verify(Secret password, String encoded) {
        PhcHash stored = PhcHash.parse(encoded);
        byte[] pwd = password.utf8();
        try {
            byte[] candidate = Argon2id.derive(pwd, stored.salt(), stored.params(), stored.hash().length);
            return MessageDigest.isEqual(candidate, stored.hash());
        } finally {
            Arrays.fill(pwd, (byte) 0);
        }
    }

    /** Spends the same work as {@link #verify} for an unknown user; always false. */
    public boolean verifyUnknownUser(Secret password) {
        verify(password, dummyHash);
        return false;
    }

    /** True when {@code encoded} was made with other parameters or sizes than this hasher uses. */
    public boolean needsRehash(String encoded) {
        PhcHash stored = PhcHash.parse(encoded);
        return !stored.params().equals(params)
                || stored.salt().length != SALT_BYTES
                || stored.hash().length != HASH_BYTES;
    }
}
