package org.castellan.protocol.messages;

/**
 * First contact of a device. The request is signed with the private half of {@code publicKey},
 * proving the device holds it.
 *
 * @param publicKey the device's Ed25519 public key, 32 raw bytes in base64
 */
public record RegisterRequest(
        String registrationKey,
        String hostname,
        String os,
        String osVersion,
        String agentVersion,
        String publicKey) {}
