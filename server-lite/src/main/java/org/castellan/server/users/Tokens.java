package org.castellan.server.users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer secrets (API tokens {@code cat_...}, registration keys {@code crk_...}): 32 random bytes
 * in base64url, stored only as SHA-256 hex and looked up by that hash. A hash lookup leaks no
 * timing about the secret itself, and the table alone cannot be used to authenticate.
 */
public final class Tokens {
    public static final String API_TOKEN_PREFIX = "cat_";
    public static final String REGISTRATION_KEY_PREFIX = "crk_";

    private Tokens() {}

    public static String newSecret(String prefix, SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** A random (version 4, from the JDK's SecureRandom) row id: not secret, but not guessable either. */
    public static String newId() {
        return java.util.UUID.randomUUID().toString();
    }
}
