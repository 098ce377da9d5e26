package org.castellan.protocol.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

class PublicKeyCacheTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private final SecureRandom random = new SecureRandom();
    private final byte[] body = "{\"hostname\":\"web-1\"}".getBytes(StandardCharsets.UTF_8);
    private final Set<String> seen = new HashSet<>();
    private final PublicKeyCache cache = new PublicKeyCache(100);
    private final RequestVerifier verifier = new RequestVerifier(Clock.fixed(NOW, ZoneOffset.UTC),
            RequestVerifier.DEFAULT_MAX_SKEW, (key, nonce, ts) -> seen.add(key + "/" + nonce), cache);

    /** The reference: BouncyCastle's signer over a key decoded afresh, as before the cache. */
    private static boolean uncached(String publicKeyBase64, byte[] message, byte[] signature) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(false, new Ed25519PublicKeyParameters(Base64.getDecoder().decode(publicKeyBase64), 0));
        signer.update(message, 0, message.length);
        return signer.verifySignature(signature);
    }

    @Test
    void cachedVerificationAgreesWithUncachedForValidAndInvalidSignatures() {
        DeviceKeyPair device = DeviceKeyPair.generate(random);
        String key = device.publicKeyBase64();
        String otherKey = DeviceKeyPair.generate(random).publicKeyBase64();
        byte[] message = "POST\n/api/v1/agent/check-in\nbody".getBytes(StandardCharsets.UTF_8);
        byte[] signature = device.sign(message);
        byte[] flipped = signature.clone();
        flipped[5] ^= 0x01;
        byte[] tampered = message.clone();
        tampered[tampered.length - 1] ^= 0x01;
        byte[] truncated = java.util.Arrays.copyOf(signature, 63);

        record Case(String key, byte[] message, byte[] signature, boolean expected) {}
        List<Case> cases = List.of(
                new Case(key, message, signature, true),
                new Case(key, message, flipped, false),
                new Case(key, tampered, signature, false),
                new Case(otherKey, message, signature, false),
                new Case(key, message, new byte[64], false));
        // Twice: the first pass fills the cache, the second is served from it.
        for (int pass = 0; pass < 2; pass++) {
            for (Case c : cases) {
                assertThat(DeviceKeyPair.verify(cache.parsed(c.key()), c.message(), c.signature()))
                        .as("pass %d", pass).isEqualTo(c.expected())
                        .isEqualTo(uncached(c.key(), c.message(), c.signature()));
            }
            assertThat(DeviceKeyPair.verify(cache.parsed(key), message, truncated)).isFalse();
        }
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void aRequestSignedWithTheOldKeyFailsOnceTheDeviceIsReKeyed() throws Exception {
        DeviceKeyPair before = DeviceKeyPair.generate(random);
        DeviceKeyPair after = DeviceKeyPair.generate(random);
        Map<String, String> oldRequest = sign(before, "dev-1");
        Map<String, String> replayOfOld = sign(before, "dev-1");
        verifier.verify("POST", "/p", oldRequest::get, "dev-1", before.publicKeyBase64(), body);
        assertThat(cache.parsed(before.publicKeyBase64())).as("the old key is cached").isNotNull();

        // Same device id, new stored key: the old key's cache entry must not be used.
        assertThatThrownBy(() -> verifier.verify("POST", "/p", replayOfOld::get, "dev-1",
                after.publicKeyBase64(), body))
                .isInstanceOf(SignatureCheckException.class)
                .satisfies(e -> assertThat(((SignatureCheckException) e).code()).isEqualTo("bad-signature"));
        Map<String, String> newRequest = sign(after, "dev-1");
        assertThatCode(() -> verifier.verify("POST", "/p", newRequest::get, "dev-1", after.publicKeyBase64(), body))
                .doesNotThrowAnyException();
        // And the other way round: a request signed with the new key does not pass under the old one.
        Map<String, String> newAgain = sign(after, "dev-1");
        assertThatThrownBy(() -> verifier.verify("POST", "/p", newAgain::get, "dev-1",
                before.publicKeyBase64(), body)).isInstanceOf(SignatureCheckException.class);
    }

    @Test
    void staysWithinItsBoundAndDropsTheLeastRecentlyUsedKey() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            keys.add(DeviceKeyPair.generate(random).publicKeyBase64());
        }
        Ed25519PublicKeyParameters first = cache.parsed(keys.get(0));
        for (int i = 1; i < keys.size(); i++) {
            assertThat(cache.parsed(keys.get(i))).isNotNull();
            assertThat(cache.parsed(keys.get(0))).as("kept while in use").isSameAs(first);
            assertThat(cache.size()).isLessThanOrEqualTo(cache.capacity());
        }
        assertThat(cache.size()).isEqualTo(100);
        String last = keys.get(keys.size() - 1);
        assertThat(cache.parsed(last)).isSameAs(cache.parsed(last));
        // Long unused: evicted, so parsed afresh (a new instance) and still the same key.
        Ed25519PublicKeyParameters again = cache.parsed(keys.get(1));
        assertThat(again.getEncoded()).isEqualTo(Base64.getDecoder().decode(keys.get(1)));
        assertThat(cache.size()).isEqualTo(100);
    }

    @Test
    void keysThatDoNotParseAreRefusedAndNotKept() throws Exception {
        assertThat(cache.parsed(null)).isNull();
        assertThat(cache.parsed("AAAA")).isNull();
        assertThat(cache.parsed("not base64")).isNull();
        assertThat(cache.parsed(Base64.getEncoder().encodeToString(new byte[33]))).isNull();
        assertThat(cache.parsed(Base64.getEncoder().encodeToString(notOnTheCurve()))).isNull();
        assertThat(cache.size()).isZero();

        Map<String, String> headers = sign(DeviceKeyPair.generate(random), "dev-1");
        assertThatThrownBy(() -> verifier.verify("POST", "/p", headers::get, "dev-1",
                Base64.getEncoder().encodeToString(notOnTheCurve()), body))
                .isInstanceOf(SignatureCheckException.class)
                .satisfies(e -> assertThat(((SignatureCheckException) e).code()).isEqualTo("bad-signature"));
        assertThat(seen).as("a failed check burns no nonce").isEmpty();
    }

    @Test
    void manyThreadsGetCorrectKeysAndTheBoundHolds() throws Exception {
        List<DeviceKeyPair> devices = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            devices.add(DeviceKeyPair.generate(random));
        }
        byte[] message = "m".getBytes(StandardCharsets.UTF_8);
        List<byte[]> signatures = devices.stream().map(d -> d.sign(message)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t * 37;
                results.add(pool.submit(() -> {
                    boolean allRight = true;
                    for (int n = 0; n < 1_500; n++) {
                        int i = (offset + n) % devices.size();
                        int j = (i + 1) % devices.size();
                        allRight &= DeviceKeyPair.verify(cache.parsed(devices.get(i).publicKeyBase64()), message,
                                signatures.get(i));
                        allRight &= !DeviceKeyPair.verify(cache.parsed(devices.get(j).publicKeyBase64()), message,
                                signatures.get(i));
                        allRight &= cache.size() <= cache.capacity();
                    }
                    return allRight;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(cache.size()).isLessThanOrEqualTo(100);
    }

    private Map<String, String> sign(DeviceKeyPair device, String deviceId) {
        return new RequestSigner(device, Clock.fixed(NOW, ZoneOffset.UTC), random)
                .sign("POST", "/p", deviceId, body).asMap();
    }

    /** 32 bytes that are no point's encoding (no x for that y). */
    private static byte[] notOnTheCurve() {
        for (int y = 2; ; y++) {
            byte[] candidate = new byte[32];
            candidate[0] = (byte) y;
            candidate[1] = (byte) (y >> 8);
            if (!Ed25519.validatePublicKeyPartial(candidate, 0)) {
                return candidate;
            }
        }
    }
}
