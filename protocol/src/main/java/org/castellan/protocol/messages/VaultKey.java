package org.castellan.protocol.messages;

/**
 * The server's vault public key, to which agents encrypt every secret.
 *
 * @param keyId identifies the key pair, so the vault can be rotated while old escrows stay readable
 * @param algorithm always {@link org.castellan.protocol.envelope.SecretEnvelope#ALGORITHM} for now
 * @param publicKey raw X25519 public key, base64
 */
public record VaultKey(String keyId, String algorithm, String publicKey) {}
