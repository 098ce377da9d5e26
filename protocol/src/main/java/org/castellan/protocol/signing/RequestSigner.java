package org.castellan.protocol.signing;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/** Signs agent requests with the device key (used on the device). */
public final class RequestSigner {
    private final DeviceKeyPair key;
    private final Clock clock;
    private final SecureRandom random;

    public RequestSigner(DeviceKeyPair key, Clock clock, SecureRandom random) {
        this.key = key;
        this.clock = clock;
        this.random = random;
    }

    /**
     * @param deviceId null for the registration request, before the server has named the device
     */
    public SignedHeaders sign(String method, String pathAndQuery, String deviceId, byte[] body) {
        long timestamp = clock.instant().getEpochSecond();
        byte[] nonceBytes = new byte[18];
        random.nextBytes(nonceBytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
        byte[] message = CanonicalRequest.build(method, pathAndQuery, deviceId, timestamp, nonce, body);
        String signature = Base64.getEncoder().encodeToString(key.sign(message));
        return new SignedHeaders(deviceId, timestamp, nonce, signature);
    }
}
