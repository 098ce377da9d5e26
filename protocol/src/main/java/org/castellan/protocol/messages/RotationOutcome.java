package org.castellan.protocol.messages;

/**
 * Body of commit and abort calls.
 *
 * @param detail for an abort, why (for the audit log; never a secret)
 */
public record RotationOutcome(String detail) {}
