package org.castellan.server.users;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Users and their API tokens. */
public interface UserStore {
    long countUsers(Connection c) throws SQLException;

    void insertUser(Connection c, String id, String name, boolean admin, Instant now) throws SQLException;

    void insertToken(Connection c, String id, String userId, String name, String tokenHash,
                     Instant now, Instant expiresAt) throws SQLException;

    /** The principal owning a live (not expired, not revoked, user not disabled) token with this hash. */
    Optional<Principal> principalForToken(Connection c, String tokenHash, Instant now) throws SQLException;
}
