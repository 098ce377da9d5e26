package org.castellan.server.recovery;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Escrowed recovery keys (ciphertext only) and the volumes each device reports as unprotected. */
public interface RecoveryKeyStore {
    /** The device's keys not yet marked removed. */
    List<RecoveryKeyRecord> current(Connection c, String deviceId) throws SQLException;

    /** Every key of the device: current ones first, then removed ones; newest escrow first in each. */
    List<RecoveryKeyRecord> all(Connection c, String deviceId) throws SQLException;

    /**
     * Keys (current and removed) whose protector id, reduced to hex digits, starts with
     * {@code hexPrefix} (lowercase hex), ordered by device, then current first.
     */
    List<RecoveryKeyRecord> byKeyIdPrefix(Connection c, String hexPrefix) throws SQLException;

    void insert(Connection c, RecoveryKeyRecord key) throws SQLException;

    void markRemoved(Connection c, String id, Instant at) throws SQLException;

    /** Devices holding keys marked removed at or before {@code cutoff} (due for the retention job). */
    List<String> devicesWithKeysRemovedBefore(Connection c, Instant cutoff) throws SQLException;

    /**
     * Deletes the device's keys marked removed at or before {@code cutoff} (null: every removed key;
     * current keys never); returns how many.
     */
    int purgeRemoved(Connection c, String deviceId, Instant cutoff) throws SQLException;

    void updateLabel(Connection c, String id, String volumeLabel) throws SQLException;

    /** The device's key with this protector id, current or not (the newest when there are several). */
    java.util.Optional<RecoveryKeyRecord> byProtector(Connection c, String deviceId, String protectorId) throws SQLException;

    /** A pending LUKS key becomes committed (its slot was verified). */
    void commit(Connection c, String id) throws SQLException;

    /** Marks the device's current LUKS keys due for replacement from {@code at} (rotate after read); keeps an earlier mark. */
    void requestRotation(Connection c, String deviceId, Instant at) throws SQLException;

    /** Protector ids of the device's current LUKS keys whose replacement is due at {@code now}. */
    List<String> dueForRotation(Connection c, String deviceId, Instant now) throws SQLException;

    void setUnprotectedVolumes(Connection c, String deviceId, List<String> volumes, Instant at) throws SQLException;

    /** What the device last reported; empty when it never reported. */
    List<String> unprotectedVolumes(Connection c, String deviceId) throws SQLException;
}
