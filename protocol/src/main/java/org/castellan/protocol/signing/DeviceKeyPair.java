package org.castellan.protocol.signing;

import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A device's Ed25519 identity. The private key never leaves the device: it is generated there at
 * registration and only its public half is sent to the server.
 */
public final class DeviceKeyPair {
    private final Ed25519PrivateKeyParameters privateKey;

    private DeviceKeyPair(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
    }

    public static DeviceKeyPair generate(SecureRandom random) {
        return new DeviceKeyPair(new Ed25519PrivateKeyParameters(random));
    }

    /** From the 32-byte seed written by {@link #privateKeyBytes()}; the caller wipes the array. */
    public static DeviceKeyPair fromPrivateKey(byte[] seed) {
        if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("device private key must be 32 bytes");
        }
        return new DeviceKeyPair(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /** The 32-byte seed, for the key file; the caller wipes it. */
    public byte[] privateKeyBytes() {
        return privateKey.getEncoded();
    }

    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(privateKey.generatePublicKey().getEncoded());
    }

    byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /**
     * Verifies with BouncyCastle's Ed25519 (several times faster than the JDK's on JDK 17) against
     * an already decoded key (see {@link PublicKeyCache}), straight from the message array: no copy
     * into a signer's buffer as {@code Ed25519Signer} makes.
     */
    static boolean verify(Ed25519PublicKeyParameters publicKey, byte[] message, byte[] signature) {
        if (signature.length != Ed25519PrivateKeyParameters.SIGNATURE_SIZE) {
            return false;
        }
        return publicKey.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }

    /** Checks that a base64 string is a well-formed Ed25519 public key. */
    public static boolean isValidPublicKey(String base64) {
        return PublicKeyCache.parse(base64) != null;
    }

    @Override
    public String toString() {
        return "DeviceKeyPair[public=" + publicKeyBase64() + "]";
    }
}
