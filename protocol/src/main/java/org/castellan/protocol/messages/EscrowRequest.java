package org.castellan.protocol.messages;

import org.castellan.protocol.envelope.Envelope;

/**
 * A new password, encrypted to the vault, sent before the agent sets it (promise 1).
 *
 * @param rotationId chosen by the agent (a UUID) so that a retried escrow is idempotent
 */
public record EscrowRequest(String rotationId, String account, Envelope envelope) {}
