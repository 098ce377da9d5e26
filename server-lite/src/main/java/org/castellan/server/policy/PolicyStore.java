package org.castellan.server.policy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

public interface PolicyStore {
    Optional<Policy> byName(Connection c, String name) throws SQLException;

    boolean exists(Connection c, String name) throws SQLException;

    void save(Connection c, Policy policy, Instant now) throws SQLException;
}
