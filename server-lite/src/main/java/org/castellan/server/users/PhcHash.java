package org.castellan.server.users;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code $argon2id$v=19$m=M,t=T,p=P$salt$hash} string (base64 without padding).
 *
 * <p>Parsing is strict: any other algorithm, version, parameter order, padding or length is
 * rejected with a message that names the problem but never repeats the input.
 */
record PhcHash(Argon2Params params, byte[] salt, byte[] hash) {
    private static final Pattern FORMAT = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=([1-9][0-9]{0,9}),t=([1-9][0-9]{0,9}),p=([1-9][0-9]{0,9})"
                    + "\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,88})");
    private static final int MAX_LENGTH = 300;
    static final int MIN_SALT_BYTES = 8;
    static final int MIN_HASH_BYTES = 16;

    static PhcHash parse(String encoded) {
        if (encoded == null) {
            throw new IllegalArgumentException("password hash is missing");
        }
        if (encoded.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("password hash is too long (" + encoded.length() + " chars)");
        }
        if (!encoded.startsWith("$argon2id$")) {
            throw new IllegalArgumentException("password hash is not an $argon2id$ PHC string");
        }
        Matcher m = FORMAT.matcher(encoded);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "password hash is not of the form $argon2id$v=19$m=M,t=T,p=P$salt$hash");
        }
        Argon2Params params;
        try {
            params = new Argon2Params(
                    parseInt(m.group(1), "m"), parseInt(m.group(2), "t"), parseInt(m.group(3), "p"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("password hash parameters are out of bounds: " + e.getMessage(), e);
        }
        byte[] salt = decode(m.group(4), "salt");
        byte[] hash = decode(m.group(5), "hash");
        if (salt.length < MIN_SALT_BYTES) {
            throw new IllegalArgumentException("password hash salt is shorter than " + MIN_SALT_BYTES + " bytes");
        }
        if (hash.length < MIN_HASH_BYTES) {
            throw new IllegalArgumentException("password hash output is shorter than " + MIN_HASH_BYTES + " bytes");
        }
        return new PhcHash(params, salt, hash);
    }

    String encode() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + params.memoryKiB() + ",t=" + params.iterations()
                + ",p=" + params.parallelism() + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static int parseInt(String digits, String name) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("password hash parameter " + name + " is out of range");
        }
    }

    private static byte[] decode(String unpadded, String what) {
        // Unpadded base64 never has length 1 mod 4; the JDK decoder would also reject it,
        // but a precise message helps whoever is looking at a corrupt row.
        if (unpadded.length() % 4 == 1) {
            throw new IllegalArgumentException("password hash " + what + " is not valid unpadded base64");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(unpadded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("password hash " + what + " is not valid unpadded base64");
        }
        // Reject non-canonical encodings (stray low bits in the last character): one hash, one string.
        if (!Base64.getEncoder().withoutPadding().encodeToString(bytes).equals(unpadded)) {
            throw new IllegalArgumentException("password hash " + what + " is not canonical base64");
        }
        return bytes;
    }
}
