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

    /** One page of devices in id order (keyset paging in the database); see {@link DeviceQuery} (tombstones only when it asks). */
    List<Device> page(Connection c, DeviceQuery query) throws SQLException;

    /** The buckets of {@link #countByLastSeen}, in order. */
    List<String> LAST_SEEN_BUCKETS = List.of("never", "1h", "1d", "7d", "30d", "older");

    /**
     * Devices by how long ago they last checked in: never, within 1 hour, 1 hour to 1 day, 1 to 7
     * days, 7 to 30 days, older. One pass over the table: for a periodic task, not per request.
     */
    java.util.Map<String, Long> countByLastSeen(Connection c, Instant now) throws SQLException;

    /**
     * Up to {@code limit} devices whose host name starts with {@code prefix} (case-insensitively), never a deleted one, in
     * (lower-case host name, id) order, after the keyset cursor {@code after} ("lower-host-name id", or null).
     */
    List<Device> searchPrefix(Connection c, String prefix, String after, int limit) throws SQLException;

    /**
     * The devices whose lower-case host name is one of {@code lowerNames} (live ones, or with
     * {@code deleted} the tombstones), at most {@code limit}: an indexed look-up of exact names,
     * for suggestions of close names without a scan.
     */
    List<Device> byHostnames(Connection c, java.util.Collection<String> lowerNames, boolean deleted, int limit)
            throws SQLException;

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
