package org.castellan.protocol.messages;

import org.castellan.protocol.envelope.Envelope;

/**
 * A LUKS recovery passphrase the agent is about to add to a key slot, sealed with
 * {@code AssociatedData.forRecoveryKey(deviceId, volumeId, protectorId)}. The server stores it as
 * pending (revealable, marked pending) before the slot exists (promise 1).
 *
 * @param volumeId the LUKS UUID
 * @param volumeLabel the device path (e.g. {@code /dev/nvme0n1p3})
 * @param protectorId the agent's id for this key, also written into the slot's LUKS2 token
 */
public record LuksKeyEscrowRequest(String volumeId, String volumeLabel, String protectorId, Envelope envelope) {}
