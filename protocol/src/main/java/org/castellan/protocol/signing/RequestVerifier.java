package org.castellan.protocol.signing;

import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Checks a signed agent request (used on the server): headers present and well-formed, timestamp
 * within the allowed skew, signature valid for the device's key, nonce never seen before.
 *
 * <p>The nonce is recorded only after the signature verifies, so an attacker cannot burn a
 * device's nonces with forged requests.
 */
public final class RequestVerifier {
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(5);
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    private final Clock clock;
    private final Duration maxSkew;
    private final NonceRegistry nonces;
    private final PublicKeyCache publicKeys;

    /** With a key cache of its own, for a verifier that lives as long as its callers. */
    public RequestVerifier(Clock clock, Duration maxSkew, NonceRegistry nonces) {
        this(clock, maxSkew, nonces, new PublicKeyCache(PublicKeyCache.DEFAULT_CAPACITY));
    }

    /** With a shared key cache, for a caller that builds a verifier per request. */
    public RequestVerifier(Clock clock, Duration maxSkew, NonceRegistry nonces, PublicKeyCache publicKeys) {
        this.clock = clock;
        this.maxSkew = maxSkew;
        this.nonces = nonces;
        this.publicKeys = publicKeys;
    }

    /**
     * @param header reads one request header by name (null if absent)
     * @param deviceId the device the request claims to be from (null for registration)
     * @param publicKeyBase64 that device's registered public key
     */
    public void verify(String method, String pathAndQuery, Function<String, String> header,
                       String deviceId, String publicKeyBase64, byte[] body)
            throws SignatureCheckException {
        String timestampText = header.apply(org.castellan.protocol.Headers.TIMESTAMP);
        String nonce = header.apply(org.castellan.protocol.Headers.NONCE);
        String signatureText = header.apply(org.castellan.protocol.Headers.SIGNATURE);
        if (timestampText == null || nonce == null || signatureText == null) {
            throw new SignatureCheckException("missing-signature",
                    "request must carry timestamp, nonce and signature headers");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampText);
        } catch (NumberFormatException e) {
            throw new SignatureCheckException("bad-signature", "timestamp header is not a number");
        }
        if (!NONCE.matcher(nonce).matches()) {
            throw new SignatureCheckException("bad-signature", "nonce header is malformed");
        }
        long now = clock.instant().getEpochSecond();
        long limit = maxSkew.toSeconds();
        // Compared as a range, not Math.abs(now - timestamp): that difference overflows for a timestamp
        // near Long.MIN_VALUE + now, and Math.abs(Long.MIN_VALUE) is negative, i.e. "fresh".
        if (timestamp < now - limit || timestamp > now + limit) {
            String away = timestamp < now - limit * 1000 || timestamp > now + limit * 1000 ? "far"
                    : Math.abs(now - timestamp) + " s";
            throw new SignatureCheckException("stale-request",
                    "request timestamp is " + away + " away from server time (limit " + limit + " s)");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureText);
        } catch (IllegalArgumentException e) {
            throw new SignatureCheckException("bad-signature", "signature is not valid base64");
        }
        Ed25519PublicKeyParameters publicKey = publicKeys.parsed(publicKeyBase64);
        if (publicKey == null) {
            throw new SignatureCheckException("bad-signature", "the device's public key is not an Ed25519 key");
        }
        byte[] message = CanonicalRequest.build(method, pathAndQuery, deviceId, timestamp, nonce, body);
        if (!DeviceKeyPair.verify(publicKey, message, signature)) {
            throw new SignatureCheckException("bad-signature", "signature does not verify");
        }
        if (!nonces.firstUse(publicKeyBase64, nonce, timestamp)) {
            throw new SignatureCheckException("replayed-request", "this request was already received");
        }
    }
}
