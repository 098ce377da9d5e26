package org.castellan.server.registration;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface RegistrationKeyStore {
    void insert(Connection c, RegistrationKey key, String keyHash, String createdBy) throws SQLException;

    /** Every key, oldest first: for the console's page. */
    List<RegistrationKey> list(Connection c) throws SQLException;

    /**
     * Up to {@code limit} keys in creation order (ties by id), after the key created at
     * {@code afterCreatedAt} with id {@code afterId} (both null: from the first): keyset paging in the database.
     */
    List<RegistrationKey> page(Connection c, Instant afterCreatedAt, String afterId, int limit) throws SQLException;

    Optional<RegistrationKey> byId(Connection c, String id) throws SQLException;

    Optional<RegistrationKey> byHash(Connection c, String keyHash) throws SQLException;

    void revoke(Connection c, String id, Instant at) throws SQLException;

    /** Counts one use; runs in the transaction that creates the device. */
    /** Counts one use; false (nothing counted) when the key is used up, also by a concurrent registration. */
    boolean countUse(Connection c, String id) throws SQLException;
}
