package org.castellan.server.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Every row of every table, read through a separate JDBC connection, to prove "nothing changed". */
public final class DbSnapshot {
    private DbSnapshot() {}

    public static Map<String, List<String>> take(Path dataDir) {
        return take(dataDir, Set.of());
    }

    public static Map<String, List<String>> take(Path dataDir, Set<String> ignoredTables) {
        Map<String, List<String>> tables = new TreeMap<>();
        try (Connection c = open(dataDir); Statement st = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(OnPostgres.databaseFor(dataDir) != null
                    ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                    : "SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String name : names) {
                if (ignoredTables.contains(name)) {
                    continue;
                }
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT * FROM \"" + name + "\"")) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            // A token's last use is bookkeeping of authentication, not a change the
                            // refused request made.
                            if (meta.getColumnName(i).equals("last_used_at")) {
                                continue;
                            }
                            row.append(meta.getColumnName(i)).append('=').append(rs.getString(i)).append(';');
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null);
                tables.put(name, rows);
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot read the database", e);
        }
        return tables;
    }

    /** The database of {@code dataDir}'s server: its SQLite file, or its PostgreSQL database under {@link OnPostgres}. */
    public static Connection open(Path dataDir) throws SQLException {
        org.castellan.testsupport.PostgresServer.Database pg = OnPostgres.databaseFor(dataDir);
        if (pg != null) {
            return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        }
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("castellan.db"));
    }

    public static long count(Path dataDir, String sql) {
        try (Connection c = open(dataDir); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError("cannot query the database", e);
        }
    }
}
