package org.castellan.protocol.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretEnvelopeTest {
    private final SecureRandom random = new SecureRandom();
    private final VaultKeyPair vault = VaultKeyPair.generate("vk1", random);
    private final byte[] password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
    private final AssociatedData context = AssociatedData.forPassword("dev-1", "root", "rot-1");

    @Test
    void sealedSecretOpensWithTheSameContext() throws Exception {
        Envelope envelope = SecretEnvelope.seal(vault.publicKey(), context, password);
        assertThat(SecretEnvelope.open(vault, context, envelope)).isEqualTo(password);
        assertThat(envelope.keyId()).isEqualTo("vk1");
        assertThat(envelope.alg()).isEqualTo(SecretEnvelope.ALGORITHM);
    }

    @Test
    void ciphertextDoesNotContainThePlaintextAndDiffersEachTime() throws Exception {
        Envelope a = SecretEnvelope.seal(vault.publicKey(), context, password);
        Envelope b = SecretEnvelope.seal(vault.publicKey(), context, password);
        assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
        assertThat(a.enc()).isNotEqualTo(b.enc());
        assertThat(new String(Base64.getDecoder().decode(a.ciphertext()), StandardCharsets.ISO_8859_1))
                .doesNotContain("horse");
    }

    @Test
    void envelopeReplayedOntoAnotherDeviceAccountOrRotationDoesNotOpen() throws Exception {
        Envelope envelope = SecretEnvelope.seal(vault.publicKey(), context, password);
        for (AssociatedData other : new AssociatedData[] {
                AssociatedData.forPassword("dev-2", "root", "rot-1"),
                AssociatedData.forPassword("dev-1", "admin", "rot-1"),
                AssociatedData.forPassword("dev-1", "root", "rot-2"),
                AssociatedData.forRecoveryKey("dev-1", "root", "rot-1")}) {
            assertThatThrownBy(() -> SecretEnvelope.open(vault, other, envelope))
                    .isInstanceOf(EnvelopeException.class)
                    .hasMessageNotContaining("horse");
        }
    }

    @Test
    void fieldBoundariesAreUnambiguous() throws Exception {
        // "ab"+"c" and "a"+"bc" must be different contexts.
        Envelope envelope = SecretEnvelope.seal(vault.publicKey(), AssociatedData.forPassword("ab", "c", "r"), password);
        assertThatThrownBy(() -> SecretEnvelope.open(vault, AssociatedData.forPassword("a", "bc", "r"), envelope))
                .isInstanceOf(EnvelopeException.class);
    }

    @Test
    void alteredCiphertextIsRejected() throws Exception {
        Envelope envelope = SecretEnvelope.seal(vault.publicKey(), context, password);
        byte[] ct = Base64.getDecoder().decode(envelope.ciphertext());
        ct[3] ^= 1;
        Envelope altered = new Envelope(envelope.keyId(), envelope.alg(), envelope.enc(), Base64.getEncoder().encodeToString(ct));
        assertThatThrownBy(() -> SecretEnvelope.open(vault, context, altered)).isInstanceOf(EnvelopeException.class);
    }

    @Test
    void anotherVaultKeyCannotOpen() throws Exception {
        Envelope envelope = SecretEnvelope.seal(vault.publicKey(), context, password);
        VaultKeyPair impostor = VaultKeyPair.generate("vk1", random);
        assertThatThrownBy(() -> SecretEnvelope.open(impostor, context, envelope)).isInstanceOf(EnvelopeException.class);
        VaultKeyPair otherId = VaultKeyPair.generate("vk2", random);
        assertThatThrownBy(() -> SecretEnvelope.open(otherId, context, envelope))
                .hasMessageContaining("vk1");
    }

    @Test
    void malformedEnvelopesAreRejectedWithoutExceptionsLeaking() {
        Envelope garbage = new Envelope("vk1", SecretEnvelope.ALGORITHM, "not base64!!", "AAAA");
        assertThatThrownBy(() -> SecretEnvelope.open(vault, context, garbage))
                .isInstanceOf(EnvelopeException.class).hasMessageContaining("base64");
        Envelope shortEnc = new Envelope("vk1", SecretEnvelope.ALGORITHM, "AAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertThatThrownBy(() -> SecretEnvelope.open(vault, context, shortEnc)).isInstanceOf(EnvelopeException.class);
        Envelope wrongAlg = new Envelope("vk1", "RSA", "AAAA", "AAAA");
        assertThatThrownBy(() -> SecretEnvelope.open(vault, context, wrongAlg)).isInstanceOf(EnvelopeException.class);
    }

    @Test
    void vaultKeyRoundTripsThroughItsPrivateBytes() throws Exception {
        Envelope envelope = SecretEnvelope.seal(vault.publicKey(), context, password);
        VaultKeyPair reloaded = VaultKeyPair.fromPrivateKey("vk1", vault.privateKeyBytes());
        assertThat(reloaded.publicKey()).isEqualTo(vault.publicKey());
        assertThat(SecretEnvelope.open(reloaded, context, envelope)).isEqualTo(password);
    }

    @Test
    void theOnceDerivedPublicKeyIsThePrivateKeysAndCannotBeChangedThroughItsBytes() throws Exception {
        byte[] raw = vault.privateKeyBytes();
        byte[] derived = new byte[32];
        org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(raw, 0, derived, 0);
        assertThat(vault.publicKeyBytes()).isEqualTo(derived);
        vault.publicKeyBytes()[0] ^= 0x01;
        assertThat(vault.publicKeyBytes()).as("a copy each time").isEqualTo(derived);

        // Many opens with the one pair, from several threads at once, all succeed.
        Envelope envelope = SecretEnvelope.seal(vault.publicKey(), context, password);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<byte[]>> opened = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                opened.add(pool.submit(() -> SecretEnvelope.open(vault, context, envelope)));
            }
            for (java.util.concurrent.Future<byte[]> f : opened) {
                assertThat(f.get()).isEqualTo(password);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
