package org.castellan.agent.linux;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.castellan.agent.spi.PasswordCheck;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;

/**
 * Whether a password matches an account's shadow hash: crypt(3) of the password under the stored
 * setting must give the stored hash, compared in constant time. This is what a login would check,
 * minus PAM: no faillock counter moves, no session opens.
 */
final class ShadowPasswordCheck {
    private final Crypt crypt;

    ShadowPasswordCheck(Crypt crypt) {
        this.crypt = crypt;
    }

    PasswordCheck check(String shadowHash, Secret password) throws PlatformException {
        if (shadowHash.isEmpty()) {
            return PasswordCheck.failed("the shadow entry has no password");
        }
        if (shadowHash.startsWith("!") || shadowHash.startsWith("*")) {
            return PasswordCheck.failed("the shadow entry is locked (" + shadowHash.charAt(0) + ")");
        }
        byte[] phrase = password.utf8();
        String computed;
        try {
            computed = crypt.hash(phrase, shadowHash);
        } catch (Crypt.CryptUnavailableException e) {
            throw new PlatformException("password-check-unavailable", e.getMessage(), e);
        } finally {
            Arrays.fill(phrase, (byte) 0);
        }
        if (computed == null) {
            return PasswordCheck.failed("libcrypt does not know the shadow entry's hash scheme ("
                    + scheme(shadowHash) + ")");
        }
        boolean matches = MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                shadowHash.getBytes(StandardCharsets.US_ASCII));
        return matches ? PasswordCheck.proven("crypt(3) of the password matches the shadow entry (" + scheme(shadowHash) + ")")
                : PasswordCheck.failed("crypt(3) of the password does not match the shadow entry (" + scheme(shadowHash) + ")");
    }

    /** {@code $y$} yescrypt, {@code $6$} SHA-512, ...: the scheme id only, never the hash. */
    static String scheme(String shadowHash) {
        if (shadowHash.startsWith("$")) {
            int end = shadowHash.indexOf('$', 1);
            if (end > 0) {
                String id = shadowHash.substring(1, end);
                return switch (id) {
                    case "y" -> "yescrypt";
                    case "gy" -> "gost-yescrypt";
                    case "7" -> "scrypt";
                    case "2b", "2a", "2y" -> "bcrypt";
                    case "6" -> "sha512crypt";
                    case "5" -> "sha256crypt";
                    case "1" -> "md5crypt";
                    default -> "$" + id + "$";
                };
            }
        }
        return "descrypt or unknown";
    }
}
