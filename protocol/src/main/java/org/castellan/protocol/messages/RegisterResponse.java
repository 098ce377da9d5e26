package org.castellan.protocol.messages;

public record RegisterResponse(String deviceId, VaultKey vaultKey, AgentPolicy policy) {}
