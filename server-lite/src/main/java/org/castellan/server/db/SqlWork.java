package org.castellan.server.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one connection, inside one transaction when it writes. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
