package org.castellan.server.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.castellan.protocol.Secret;

/**
 * Signs webhook bodies so receivers can tell they come from this server and are fresh.
 *
 * <p>{@value #HEADER}: {@code t=<epoch seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}.
 * Including the timestamp in the MAC lets receivers reject replays older than their tolerance.
 * Several {@code v1=} entries are accepted on verify, so a channel secret can be rotated.
 */
public final class WebhookSigner {
    public static final String HEADER = "X-Castellan-Signature";
    private static final int MAX_HEADER = 1024;
    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSigner() {}

    public static String sign(Secret channelSecret, long epochSeconds, byte[] body) {
        return "t=" + epochSeconds + ",v1=" + HexFormat.of().formatHex(mac(channelSecret, epochSeconds, body));
    }

    /**
     * True when {@code header} carries a {@code v1} MAC of {@code body} under {@code channelSecret}
     * and its timestamp is within {@code tolerance} of {@code now} (either direction).
     * Malformed headers are simply not valid.
     */
    public static boolean verify(Secret channelSecret, String header, byte[] body, Instant now, Duration tolerance) {
        if (header == null || header.length() > MAX_HEADER) {
            return false;
        }
        Long timestamp = null;
        List<byte[]> candidates = new ArrayList<>();
        for (String part : header.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return false;
            }
            String key = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            if (key.equals("t")) {
                if (timestamp != null || !value.matches("[0-9]{1,12}")) {
                    return false;
                }
                timestamp = Long.parseLong(value);
            } else if (key.equals("v1")) {
                if (!value.matches("[0-9a-f]{64}")) {
                    return false;
                }
                candidates.add(HexFormat.of().parseHex(value));
            }
            // Unknown keys (future schemes) are ignored, as long as a v1 is present.
        }
        if (timestamp == null || candidates.isEmpty()) {
            return false;
        }
        if (Duration.between(Instant.ofEpochSecond(timestamp), now).abs().compareTo(tolerance) > 0) {
            return false;
        }
        byte[] expected = mac(channelSecret, timestamp, body);
        boolean ok = false;
        for (byte[] candidate : candidates) {
            ok |= MessageDigest.isEqual(expected, candidate);
        }
        return ok;
    }

    private static byte[] mac(Secret channelSecret, long epochSeconds, byte[] body) {
        byte[] key = channelSecret.utf8();
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
