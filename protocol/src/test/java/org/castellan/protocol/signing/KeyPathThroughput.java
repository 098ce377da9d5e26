package org.castellan.protocol.signing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.castellan.protocol.Headers;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.envelope.VaultKeyPair;

/**
 * Not a test: a rough single-thread figure for the server's two per-request key paths, the old
 * way and the current way side by side in one JVM. Run by hand:
 * {@code java -cp protocol/target/classes:protocol/target/test-classes:<bcprov>:<jackson...>
 * org.castellan.protocol.signing.KeyPathThroughput}. Never asserts on time.
 */
public final class KeyPathThroughput {
    private static final int ROUNDS = Integer.getInteger("rounds", 2);
    private static volatile boolean sink;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        SecureRandom random = new SecureRandom();

        // Ed25519: decode + Ed25519Signer per request (before) vs cached parsed key (after).
        DeviceKeyPair device = DeviceKeyPair.generate(random);
        String key = device.publicKeyBase64();
        byte[] message = new byte[400];
        random.nextBytes(message);
        Instant now = Instant.now();
        byte[] body = "{\"hostname\":\"web-1\",\"account\":\"root\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new RequestSigner(device, Clock.fixed(now, ZoneOffset.UTC), random)
                .sign("POST", "/api/v1/agent/check-in", "dev-1", body).asMap();
        byte[] signature = Base64.getDecoder().decode(headers.get(Headers.SIGNATURE));
        byte[] canonical = CanonicalRequest.build("POST", "/api/v1/agent/check-in",
                "dev-1", Long.parseLong(headers.get(Headers.TIMESTAMP)), headers.get(Headers.NONCE), body);
        PublicKeyCache cache = new PublicKeyCache(PublicKeyCache.DEFAULT_CAPACITY);
        RequestVerifier verifier = new RequestVerifier(Clock.fixed(now, ZoneOffset.UTC),
                RequestVerifier.DEFAULT_MAX_SKEW, (k, n, t) -> true, cache);

        for (int round = 0; round < ROUNDS; round++) {
            String tag = round == 0 ? "warm-up " : "round " + round + " ";
            report(tag + "verify, key decoded per request + Ed25519Signer", seconds, () -> {
                Ed25519Signer s = new Ed25519Signer();
                s.init(false, new Ed25519PublicKeyParameters(Base64.getDecoder().decode(key), 0));
                s.update(canonical, 0, canonical.length);
                sink = s.verifySignature(signature);
            });
            report(tag + "verify, cached key (PublicKeyCache + direct verify)", seconds, () ->
                    sink = cache.parsed(key).verify(0, null, canonical, 0, canonical.length, signature, 0));
            report(tag + "RequestVerifier.verify end to end, cached key", seconds, () ->
                    verifier.verify("POST", "/api/v1/agent/check-in", headers::get, "dev-1", key, body));
        }

        // HPKE open: public key derived per open (before) vs derived once (after).
        VaultKeyPair vault = VaultKeyPair.generate("vk1", random);
        byte[] raw = vault.privateKeyBytes();
        X25519PrivateKeyParameters priv = new X25519PrivateKeyParameters(raw, 0);
        AsymmetricCipherKeyPair once = new AsymmetricCipherKeyPair(priv.generatePublicKey(), priv);
        byte[] info = "i".getBytes(StandardCharsets.US_ASCII);
        byte[] aad = "a".getBytes(StandardCharsets.US_ASCII);
        byte[] secret = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
        byte[][] sealed = hpke().seal(once.getPublic(), info, aad, secret, null, null, null);
        AssociatedData context = AssociatedData.forPassword("dev-1", "root", "rot-1");
        Envelope envelope = SecretEnvelope.seal(vault.publicKey(), context, secret);
        for (int round = 0; round < ROUNDS; round++) {
            String tag = round == 0 ? "warm-up " : "round " + round + " ";
            report(tag + "HPKE open, public key derived per open", seconds, () -> {
                AsymmetricCipherKeyPair pair = new AsymmetricCipherKeyPair(priv.generatePublicKey(), priv);
                sink = hpke().open(sealed[1], pair, info, aad, sealed[0], null, null, null).length > 0;
            });
            report(tag + "HPKE open, key pair derived once", seconds, () ->
                    sink = hpke().open(sealed[1], once, info, aad, sealed[0], null, null, null).length > 0);
            report(tag + "SecretEnvelope.open end to end", seconds, () ->
                    sink = SecretEnvelope.open(vault, context, envelope).length > 0);
        }
    }

    private static HPKE hpke() {
        return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
    }

    interface Op {
        void run() throws Exception;
    }

    private static void report(String what, int seconds, Op op) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        long n = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 50; i++) {
                op.run();
            }
            n += 50;
        }
        double perSecond = n / ((System.nanoTime() - start) / 1e9);
        System.out.printf("%-60s %,10.0f /s%n", what, perSecond);
    }
}
