package org.castellan.protocol.envelope;

/**
 * A secret sealed to the vault public key with HPKE.
 *
 * @param keyId which vault key pair it was sealed to
 * @param alg {@link SecretEnvelope#ALGORITHM}
 * @param enc the HPKE encapsulated key, base64
 * @param ciphertext the AES-256-GCM ciphertext with its tag, base64
 */
public record Envelope(String keyId, String alg, String enc, String ciphertext) {
    @Override
    public String toString() {
        return "Envelope[keyId=" + keyId + ", alg=" + alg + "]";
    }
}
