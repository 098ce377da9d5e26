package org.castellan.server.agent;

import org.castellan.server.devices.Device;

/**
 * An agent request whose signature verified. Its nonce is not stored yet: {@link NonceStore#record}
 * does that inside the transaction that acts on the request, so a refused request changes nothing.
 *
 * @param device the calling device; null for registration
 */
public record SignedRequest(Device device, String publicKey, String nonce, long timestamp, byte[] body) {}
