package org.castellan.protocol.envelope;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.X25519KeyPairGenerator;
import org.bouncycastle.crypto.params.X25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.castellan.protocol.messages.VaultKey;

/** The vault's X25519 key pair. Only the server holds one; agents see {@link #publicKey()}. */
public final class VaultKeyPair {
    private final String keyId;
    private final X25519PrivateKeyParameters privateKey;
    /**
     * Derived once: deriving the public half is a scalar multiplication, and HPKE's open needs it
     * for every envelope (the KEM binds the recipient's public key), on top of its own one for the
     * key agreement. Both halves are immutable, so the pair is shared by concurrent opens.
     */
    private final AsymmetricCipherKeyPair hpkeKeyPair;

    private VaultKeyPair(String keyId, X25519PrivateKeyParameters privateKey) {
        this.keyId = keyId;
        this.privateKey = privateKey;
        this.hpkeKeyPair = new AsymmetricCipherKeyPair(privateKey.generatePublicKey(), privateKey);
    }

    public static VaultKeyPair generate(String keyId, SecureRandom random) {
        X25519KeyPairGenerator generator = new X25519KeyPairGenerator();
        generator.init(new X25519KeyGenerationParameters(random));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        return new VaultKeyPair(keyId, (X25519PrivateKeyParameters) pair.getPrivate());
    }

    /** Rebuilds a key pair from its 32 raw private-key bytes (which the caller then wipes). */
    public static VaultKeyPair fromPrivateKey(String keyId, byte[] rawPrivateKey) {
        if (rawPrivateKey.length != X25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("vault private key must be 32 bytes");
        }
        return new VaultKeyPair(keyId, new X25519PrivateKeyParameters(rawPrivateKey, 0));
    }

    public String keyId() {
        return keyId;
    }

    /** The 32 raw private-key bytes, for writing to the 0600 key file; the caller wipes them. */
    public byte[] privateKeyBytes() {
        return privateKey.getEncoded();
    }

    public byte[] publicKeyBytes() {
        return ((X25519PublicKeyParameters) hpkeKeyPair.getPublic()).getEncoded();
    }

    public VaultKey publicKey() {
        return new VaultKey(keyId, SecretEnvelope.ALGORITHM,
                Base64.getEncoder().encodeToString(publicKeyBytes()));
    }

    AsymmetricCipherKeyPair asHpkeKeyPair() {
        return hpkeKeyPair;
    }

    @Override
    public String toString() {
        return "VaultKeyPair[" + keyId + "]";
    }

    /** Equality by key id and public key only; never compares private material in variable time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof VaultKeyPair other && keyId.equals(other.keyId)
                && Arrays.equals(publicKeyBytes(), other.publicKeyBytes());
    }

    @Override
    public int hashCode() {
        return keyId.hashCode();
    }
}
