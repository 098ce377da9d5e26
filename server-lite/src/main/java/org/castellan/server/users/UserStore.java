package org.castellan.server.users;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Users and their API tokens. */
public interface UserStore {
    /** A stored user; {@code passwordHash} is an Argon2id PHC string or null (token-only user). */
    record User(String id, String name, boolean admin, String passwordHash, Instant createdAt, Instant disabledAt) {}

    /** A stored API token (its secret only as a hash, never here). */
    record Token(String id, String userId, String name, Instant createdAt, Instant expiresAt,
                 Instant lastUsedAt, Instant revokedAt) {}

    long countUsers(Connection c) throws SQLException;

    void insertUser(Connection c, String id, String name, boolean admin, Instant now) throws SQLException;

    void insertUser(Connection c, String id, String name, boolean admin, String passwordHash, Instant now)
            throws SQLException;

    Optional<User> byId(Connection c, String id) throws SQLException;

    Optional<User> byName(Connection c, String name) throws SQLException;

    /** Up to {@code limit} users after {@code afterId} (null: from the first), in id order: keyset paging in the database. */
    List<User> page(Connection c, String afterId, int limit) throws SQLException;

    /** Disables ({@code at} set) or re-enables ({@code at} null) a user. */
    void setDisabled(Connection c, String id, Instant at) throws SQLException;

    void insertToken(Connection c, String id, String userId, String name, String tokenHash,
                     Instant now, Instant expiresAt) throws SQLException;

    List<Token> tokens(Connection c, String userId) throws SQLException;

    /** At most {@code limit} of the user's tokens in id order after {@code afterId} (null: from the start). */
    List<Token> tokenPage(Connection c, String userId, String afterId, int limit) throws SQLException;

    Optional<Token> tokenById(Connection c, String id) throws SQLException;

    void revokeToken(Connection c, String id, Instant at) throws SQLException;

    void touchToken(Connection c, String id, Instant at) throws SQLException;

    /** The token with this hash, live or not (to say why a token is refused). */
    Optional<Token> tokenByHash(Connection c, String tokenHash) throws SQLException;

    /** The principal owning a live (not expired, not revoked, user not disabled) token with this hash. */
    Optional<Principal> principalForToken(Connection c, String tokenHash, Instant now) throws SQLException;
}
