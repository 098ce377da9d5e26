package org.castellan.server.rotation;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Escrowed passwords (ciphertext only) and their rotation states. */
public interface RotationStore {
    void insertPending(Connection c, Rotation rotation) throws SQLException;

    /** The device's rotation with that id (ids are per device: another device's rotation is not found). */
    Optional<Rotation> byId(Connection c, String deviceId, String id) throws SQLException;

    /** The device's latest committed rotation: its current password. */
    Optional<Rotation> current(Connection c, String deviceId) throws SQLException;

    /** Escrowed but neither committed nor aborted, newest first. */
    List<Rotation> pending(Connection c, String deviceId) throws SQLException;

    /** Every rotation of the device, newest escrow first. */
    List<Rotation> history(Connection c, String deviceId) throws SQLException;

    /**
     * Makes {@code id} the current password: the previous committed one and older pending ones
     * become superseded.
     */
    void commit(Connection c, Rotation rotation, Instant at, Instant expiresAt) throws SQLException;

    /** Records the first time a committed password was handed out (the "read, not rotated since" report). */
    void markRead(Connection c, String deviceId, String id, Instant at) throws SQLException;

    /** Sets when a committed password expires (rotate after read). */
    void expire(Connection c, String deviceId, String id, Instant expiresAt) throws SQLException;

    /**
     * Deletes superseded and aborted rotations of the device except the newest {@code keep} of
     * them and any escrowed at or after {@code keepSince}; returns how many were deleted.
     */
    int purgeHistory(Connection c, String deviceId, int keep, Instant keepSince) throws SQLException;

    void abort(Connection c, String deviceId, String id, Instant at, String detail) throws SQLException;
}
