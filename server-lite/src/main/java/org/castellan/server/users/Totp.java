package org.castellan.server.users;

import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;

/**
 * RFC 6238 time-based one-time passwords as every authenticator app makes them: HMAC-SHA1 (the
 * JDK's), 30-second steps, 6 digits, RFC 4226 dynamic truncation. A code is accepted for the
 * current step and one step either side (clock drift); the matching step is returned so the
 * caller can refuse its reuse.
 */
public final class Totp {
    public static final int DIGITS = 6;
    public static final long STEP_SECONDS = 30;
    public static final int SEED_BYTES = 20;
    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Totp() {}

    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    /** The code for one step, {@code digits} long (zero-padded). */
    public static String code(byte[] seed, long step, int digits) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(seed, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            String code = Integer.toString(binary % POWERS[digits]);
            return "0".repeat(digits - code.length()) + code;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 missing from the JDK", e);
        }
    }

    /** The step (now, or one either side) whose code {@code candidate} is; compared in constant time. */
    public static OptionalLong matchingStep(byte[] seed, String candidate, Instant now) {
        if (candidate == null) {
            return OptionalLong.empty();
        }
        String code = candidate.replace(" ", "");
        if (!code.matches("[0-9]{" + DIGITS + "}")) {
            return OptionalLong.empty();
        }
        long current = step(now);
        long found = -1;
        for (long s = current - 1; s <= current + 1; s++) {
            boolean same = MessageDigest.isEqual(code(seed, s, DIGITS).getBytes(StandardCharsets.US_ASCII),
                    code.getBytes(StandardCharsets.US_ASCII));
            if (same && found < 0) {
                found = s;
            }
        }
        return found < 0 ? OptionalLong.empty() : OptionalLong.of(found);
    }

    public static String base32(byte[] seed) {
        return Base32.toBase32String(seed).replace("=", "");
    }

    /** The {@code otpauth://} URI an authenticator app reads (as a QR code or pasted). */
    public static String uri(String issuer, String account, byte[] seed) {
        String label = enc(issuer) + ":" + enc(account);
        return "otpauth://totp/" + label + "?secret=" + base32(seed) + "&issuer=" + enc(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
