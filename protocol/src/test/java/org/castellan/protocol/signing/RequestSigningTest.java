package org.castellan.protocol.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.castellan.protocol.Headers;
import org.junit.jupiter.api.Test;

class RequestSigningTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private final SecureRandom random = new SecureRandom();
    private final DeviceKeyPair device = DeviceKeyPair.generate(random);
    private final Set<String> seen = new HashSet<>();
    private final NonceRegistry nonces = (key, nonce, ts) -> seen.add(key + "/" + nonce);
    private final RequestVerifier verifier =
            new RequestVerifier(Clock.fixed(NOW, ZoneOffset.UTC), RequestVerifier.DEFAULT_MAX_SKEW, nonces);
    private final byte[] body = "{\"hostname\":\"web-1\"}".getBytes(StandardCharsets.UTF_8);

    private Map<String, String> sign(Instant at, String method, String path, String deviceId, byte[] signedBody) {
        RequestSigner signer = new RequestSigner(device, Clock.fixed(at, ZoneOffset.UTC), random);
        return new HashMap<>(signer.sign(method, path, deviceId, signedBody).asMap());
    }

    private void verify(Map<String, String> headers, String method, String path, String deviceId, byte[] receivedBody)
            throws SignatureCheckException {
        verifier.verify(method, path, headers::get, deviceId, device.publicKeyBase64(), receivedBody);
    }

    @Test
    void aCorrectlySignedRequestVerifies() {
        Map<String, String> headers = sign(NOW, "POST", "/api/v1/agent/check-in", "dev-1", body);
        assertThat(headers).containsKeys(Headers.DEVICE, Headers.TIMESTAMP, Headers.NONCE, Headers.SIGNATURE);
        assertThatCode(() -> verify(headers, "POST", "/api/v1/agent/check-in", "dev-1", body)).doesNotThrowAnyException();
    }

    @Test
    void anyChangeToMethodPathDeviceOrBodyBreaksTheSignature() {
        Map<String, String> headers = sign(NOW, "POST", "/api/v1/agent/check-in", "dev-1", body);
        byte[] otherBody = "{\"hostname\":\"web-2\"}".getBytes(StandardCharsets.UTF_8);
        assertCode(() -> verify(headers, "PUT", "/api/v1/agent/check-in", "dev-1", body), "bad-signature");
        assertCode(() -> verify(headers, "POST", "/api/v1/agent/rotations", "dev-1", body), "bad-signature");
        assertCode(() -> verify(headers, "POST", "/api/v1/agent/check-in", "dev-2", body), "bad-signature");
        assertCode(() -> verify(headers, "POST", "/api/v1/agent/check-in", "dev-1", otherBody), "bad-signature");
        assertThat(seen).as("failed checks must not burn nonces").isEmpty();
    }

    @Test
    void anotherDevicesKeyDoesNotVerify() {
        Map<String, String> headers = sign(NOW, "POST", "/p", "dev-1", body);
        String otherKey = DeviceKeyPair.generate(random).publicKeyBase64();
        assertCode(() -> verifier.verify("POST", "/p", headers::get, "dev-1", otherKey, body), "bad-signature");
    }

    @Test
    void aReplayedRequestIsRejected() throws Exception {
        Map<String, String> headers = sign(NOW, "POST", "/p", "dev-1", body);
        verify(headers, "POST", "/p", "dev-1", body);
        assertCode(() -> verify(headers, "POST", "/p", "dev-1", body), "replayed-request");
    }

    @Test
    void requestsOutsideFiveMinutesOfSkewAreStaleEitherWay() {
        Map<String, String> old = sign(NOW.minus(Duration.ofSeconds(301)), "POST", "/p", "d", body);
        Map<String, String> future = sign(NOW.plus(Duration.ofSeconds(301)), "POST", "/p", "d", body);
        Map<String, String> edge = sign(NOW.minus(Duration.ofSeconds(299)), "POST", "/p", "d", body);
        assertCode(() -> verify(old, "POST", "/p", "d", body), "stale-request");
        assertCode(() -> verify(future, "POST", "/p", "d", body), "stale-request");
        assertThatCode(() -> verify(edge, "POST", "/p", "d", body)).doesNotThrowAnyException();
    }

    @Test
    void aTimestampWhoseDistanceFromNowOverflowsIsStaleNotFresh() {
        // now - ts == Long.MIN_VALUE, whose Math.abs is negative: it passed a "skew > max" check.
        long overflowing = NOW.getEpochSecond() + Long.MIN_VALUE;
        String nonce = "abcdefghijklmnop";
        byte[] signature = device.sign(CanonicalRequest.build("POST", "/p", "d", overflowing, nonce, body));
        Map<String, String> headers = Map.of(Headers.TIMESTAMP, Long.toString(overflowing), Headers.NONCE, nonce,
                Headers.SIGNATURE, java.util.Base64.getEncoder().encodeToString(signature));
        assertCode(() -> verify(headers, "POST", "/p", "d", body), "stale-request");
        Map<String, String> farFuture = new HashMap<>(headers);
        farFuture.put(Headers.TIMESTAMP, Long.toString(Long.MAX_VALUE));
        assertCode(() -> verify(farFuture, "POST", "/p", "d", body), "stale-request");
    }

    @Test
    void missingOrMalformedHeadersAreRejected() {
        for (String header : new String[] {Headers.TIMESTAMP, Headers.NONCE, Headers.SIGNATURE}) {
            Map<String, String> headers = sign(NOW, "POST", "/p", "d", body);
            headers.remove(header);
            assertCode(() -> verify(headers, "POST", "/p", "d", body), "missing-signature");
        }
        Map<String, String> badTs = sign(NOW, "POST", "/p", "d", body);
        badTs.put(Headers.TIMESTAMP, "yesterday");
        assertCode(() -> verify(badTs, "POST", "/p", "d", body), "bad-signature");
        Map<String, String> badNonce = sign(NOW, "POST", "/p", "d", body);
        badNonce.put(Headers.NONCE, "a\nb");
        assertCode(() -> verify(badNonce, "POST", "/p", "d", body), "bad-signature");
        Map<String, String> badSig = sign(NOW, "POST", "/p", "d", body);
        badSig.put(Headers.SIGNATURE, "%%%");
        assertCode(() -> verify(badSig, "POST", "/p", "d", body), "bad-signature");
    }

    @Test
    void publicKeyValidationAcceptsOnlyEd25519Keys() {
        assertThat(DeviceKeyPair.isValidPublicKey(device.publicKeyBase64())).isTrue();
        assertThat(DeviceKeyPair.isValidPublicKey("AAAA")).isFalse();
        assertThat(DeviceKeyPair.isValidPublicKey("not base64")).isFalse();
    }

    @Test
    void deviceKeyRoundTripsThroughItsSeed() throws Exception {
        DeviceKeyPair reloaded = DeviceKeyPair.fromPrivateKey(device.privateKeyBytes());
        assertThat(reloaded.publicKeyBase64()).isEqualTo(device.publicKeyBase64());
    }

    @Test
    void signaturesAreRfc8032s() throws Exception {
        // RFC 8032, section 7.1, TEST 1: the empty message.
        java.util.HexFormat hex = java.util.HexFormat.of();
        DeviceKeyPair rfc = DeviceKeyPair.fromPrivateKey(
                hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertThat(hex.formatHex(java.util.Base64.getDecoder().decode(rfc.publicKeyBase64())))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(hex.formatHex(rfc.sign(new byte[0]))).isEqualTo("e5564300c360ac729086e2cc806e828a"
                + "84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOf(SignatureCheckException.class)
                .satisfies(e -> assertThat(((SignatureCheckException) e).code()).isEqualTo(code));
    }
}
