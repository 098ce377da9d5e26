package org.castellan.server.devices;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface DeviceStore {
    void insert(Connection c, Device device, String registrationKeyId) throws SQLException;

    Optional<Device> byId(Connection c, String id) throws SQLException;

    boolean publicKeyInUse(Connection c, String publicKey) throws SQLException;

    /**
     * All devices, or those whose hostname matches (case-insensitively) when {@code hostname} is
     * set; never a deleted one (a tombstone).
     */
    List<Device> list(Connection c, String hostname) throws SQLException;

    /** The tombstones, the same way: deleted devices whose secrets are not purged yet. */
    List<Device> listDeleted(Connection c, String hostname) throws SQLException;

    /** Tombstones deleted at or before {@code cutoff}: due for the retention job's purge. */
    List<Device> deletedBefore(Connection c, Instant cutoff) throws SQLException;

    /** Records a check-in: what the agent reported, and when. */
    void checkedIn(Connection c, String id, String hostname, String osVersion, String agentVersion,
                   String account, String accountProblem, List<String> warnings, Instant at) throws SQLException;

    void requestRotation(Connection c, String id, Instant at) throws SQLException;

    void approve(Connection c, String id, Instant at) throws SQLException;

    /** Disables ({@code at} set) or re-enables ({@code at} null). */
    void setDisabled(Connection c, String id, Instant at) throws SQLException;

    /** Makes the device a tombstone: it leaves the lists, its secrets stay (see {@link #purge}). */
    void markDeleted(Connection c, String id, Instant at) throws SQLException;

    /**
     * Removes the device with its escrowed passwords, recovery keys and group memberships for good
     * (audit rows stay); returns how many passwords and recovery keys went.
     */
    Purged purge(Connection c, String id) throws SQLException;

    record Purged(int passwords, int recoveryKeys) {}
}
