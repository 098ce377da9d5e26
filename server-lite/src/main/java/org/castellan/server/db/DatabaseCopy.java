package org.castellan.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies every row of an embedded SQLite database into an empty PostgreSQL database of the same
 * schema version, as they are (ciphertexts, hashes, ids): tables in foreign-key order, found from
 * SQLite's own catalogue so tables added by later migrations are copied too. Bookkeeping that is
 * per vendor is left out ({@code flyway_schema_history}, {@code sqlite_sequence}); the caller sets
 * what PostgreSQL keeps elsewhere (identity sequences, the audit chain head row).
 */
public final class DatabaseCopy {
    private static final Set<String> SKIPPED = Set.of("flyway_schema_history", "sqlite_sequence", "audit_chain_head",
            // kept by the target's own triggers as the devices are copied (V91)
            "device_agent_version_counts", "device_os_version_counts",
            // kept by the target's triggers as device groups and devices are copied (V93)
            "device_group_matches",
            // rows of deleted groups' matches still to purge (V98): those rows are not copied either
            "device_group_match_purges",
            // the embedded server's own lease on lazy commits (sqlite V95): nothing of it applies to PostgreSQL
            "commit_lease");

    private DatabaseCopy() {}

    /** The tables to copy, each after the tables it references. */
    public static List<String> tables(Connection sqlite) throws SQLException {
        Map<String, Set<String>> references = new LinkedHashMap<>();
        try (Statement st = sqlite.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!SKIPPED.contains(name) && !name.startsWith("sqlite_")) {
                    references.put(name, new LinkedHashSet<>());
                }
            }
        }
        for (Map.Entry<String, Set<String>> table : references.entrySet()) {
            try (Statement st = sqlite.createStatement();
                 ResultSet rs = st.executeQuery("PRAGMA foreign_key_list(\"" + table.getKey() + "\")")) {
                while (rs.next()) {
                    String target = rs.getString("table");
                    if (!target.equals(table.getKey())) {
                        table.getValue().add(target);
                    }
                }
            }
        }
        List<String> ordered = new ArrayList<>();
        while (ordered.size() < references.size()) {
            boolean progress = false;
            for (Map.Entry<String, Set<String>> table : references.entrySet()) {
                if (!ordered.contains(table.getKey()) && ordered.containsAll(table.getValue())) {
                    ordered.add(table.getKey());
                    progress = true;
                }
            }
            if (!progress) {
                throw new IllegalStateException("foreign keys form a cycle among " + references.keySet());
            }
        }
        return ordered;
    }

    /** Rows of {@code table} in the target (to refuse a non-empty one). */
    public static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"" + table + "\"")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Copies {@code table}'s rows; returns how many. The target must hold none of them. */
    public static long copy(Connection sqlite, Connection target, String table) throws SQLException {
        long rows = 0;
        try (Statement st = sqlite.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\"")) {
            ResultSetMetaData meta = rs.getMetaData();
            int n = meta.getColumnCount();
            StringBuilder columns = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                columns.append(i > 1 ? ", " : "").append('"').append(meta.getColumnName(i)).append('"');
                marks.append(i > 1 ? ", " : "").append('?');
            }
            try (PreparedStatement insert = target.prepareStatement(
                    "INSERT INTO \"" + table + "\" (" + columns + ") VALUES (" + marks + ")")) {
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        Object value = rs.getObject(i);
                        if (value instanceof Integer integer) {
                            value = integer.longValue(); // every INTEGER column is BIGINT on PostgreSQL
                        }
                        insert.setObject(i, value);
                    }
                    insert.addBatch();
                    if (++rows % 500 == 0) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
        }
        return rows;
    }
}
