package org.castellan.server.guard;

import org.castellan.server.devices.Device;

/**
 * The facts of an agent request whose signature verified. Its nonce is not stored yet:
 * {@link NonceStore#record} does that inside the transaction that acts on the request, so a
 * refused request changes nothing.
 *
 * @param device the calling device; null for registration
 */
record SignedRequest(Device device, String publicKey, String nonce, long timestamp, byte[] body) {}
