package org.castellan.protocol.messages;

/**
 * @param stored keys newly stored (a new volume/protector pair)
 * @param unchanged keys the server already held for that volume and protector
 */
public record RecoveryKeyEscrowResponse(int stored, int unchanged) {}
