package org.castellan.protocol.messages;

/**
 * Names one LUKS key the server holds: for {@code commit} (the slot exists and its passphrase was
 * verified) and {@code retire} (the slot no longer exists; the key stays in history).
 */
public record LuksKeyRef(String volumeId, String protectorId) {}
