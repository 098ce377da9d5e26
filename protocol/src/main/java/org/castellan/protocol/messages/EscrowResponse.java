package org.castellan.protocol.messages;

/** Acknowledges a durable escrow: only after this may the agent change the password. */
public record EscrowResponse(String rotationId, String state) {}
