package org.castellan.protocol.messages;

import java.util.List;

/**
 * The device's full current set of recovery keys, sent whenever it changed. A protector the
 * server holds that is not in {@code keys} is marked removed (kept in history).
 *
 * @param unprotectedVolumes encrypted volumes that have no recovery key (e.g. {@code "G: (locked)"})
 */
public record RecoveryKeyEscrowRequest(List<EscrowedRecoveryKey> keys, List<String> unprotectedVolumes) {}
