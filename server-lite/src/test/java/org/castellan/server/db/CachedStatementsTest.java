package org.castellan.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.castellan.server.testing.SqliteOnly;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * The statement cache on a real SQLite file in WAL mode: a reused statement must behave exactly as
 * a freshly prepared one, and must never keep a read snapshot, a parameter or a setting of its
 * previous caller.
 */
@SqliteOnly("the SQLite connections' statement cache")
class CachedStatementsTest {
    private static final String BY_NAME = "SELECT name FROM t WHERE name = ?";
    private static final String ALL = "SELECT name FROM t ORDER BY name";

    @TempDir
    Path dir;
    private SQLiteDataSource raw;

    @BeforeEach
    void createTable() throws Exception {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        raw = new SQLiteDataSource(config);
        raw.setUrl("jdbc:sqlite:" + dir.resolve("t.db"));
        try (Connection c = raw.getConnection()) {
            c.createStatement().executeUpdate("CREATE TABLE t (name TEXT PRIMARY KEY)");
            c.createStatement().executeUpdate("INSERT INTO t VALUES ('a'), ('b'), ('c')");
        }
    }

    private DataSource cached(int perConnection) {
        return CachedStatements.around(raw, perConnection);
    }

    private static JDBC4PreparedStatement sqlite(PreparedStatement statement) throws SQLException {
        return statement.unwrap(JDBC4PreparedStatement.class);
    }

    private static List<String> names(PreparedStatement statement) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void theSameSqlOnOneConnectionReusesOneSqliteStatementWithFreshParameters() throws Exception {
        try (Connection c = cached(8).getConnection()) {
            JDBC4PreparedStatement first;
            try (PreparedStatement ps = c.prepareStatement(BY_NAME)) {
                first = sqlite(ps);
                ps.setString(1, "b");
                assertThat(names(ps)).containsExactly("b");
            }
            try (PreparedStatement ps = c.prepareStatement(BY_NAME)) {
                assertThat(sqlite(ps)).as("the same SQLite statement").isSameAs(first);
                // The previous caller's "b" is not bound any more: an unbound parameter is NULL.
                assertThat(names(ps)).isEmpty();
                ps.setString(1, "c");
                assertThat(names(ps)).containsExactly("c");
            }
            assertThat(first.isClosed()).as("kept open in the cache").isFalse();
        }
    }

    @Test
    void aStatementClosedWithItsResultsHalfReadKeepsNoReadSnapshot() throws Exception {
        try (Connection reader = cached(8).getConnection(); Connection writer = raw.getConnection()) {
            try (PreparedStatement ps = reader.prepareStatement(ALL)) {
                ResultSet rs = ps.executeQuery();
                assertThat(rs.next()).isTrue(); // one row read, the result set left open, the statement closed
            }
            writer.createStatement().executeUpdate("INSERT INTO t VALUES ('d')");
            // A reader still holding its snapshot makes a TRUNCATE checkpoint report busy (first column 1).
            try (ResultSet checkpoint = writer.createStatement().executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertThat(checkpoint.next()).isTrue();
                assertThat(checkpoint.getInt(1)).as("checkpoint busy: a read snapshot is still open").isZero();
            }
            try (PreparedStatement ps = reader.prepareStatement(ALL)) {
                assertThat(names(ps)).as("the reused statement sees the new row").containsExactly("a", "b", "c", "d");
            }
        }
    }

    @Test
    void theSameSqlPreparedWhileItsCachedStatementIsOpenGetsAStatementOfItsOwn() throws Exception {
        try (Connection c = cached(8).getConnection()) {
            List<String> pairs = new ArrayList<>();
            JDBC4PreparedStatement outerStatement;
            try (PreparedStatement outer = c.prepareStatement(ALL); ResultSet rs = outer.executeQuery()) {
                outerStatement = sqlite(outer);
                while (rs.next()) {
                    try (PreparedStatement inner = c.prepareStatement(ALL)) {
                        assertThat(sqlite(inner)).isNotSameAs(outerStatement);
                        pairs.add(rs.getString(1) + names(inner).size());
                    }
                }
            }
            assertThat(pairs).containsExactly("a3", "b3", "c3");
            try (PreparedStatement again = c.prepareStatement(ALL)) {
                assertThat(sqlite(again)).as("the cached one, free again").isSameAs(outerStatement);
                assertThat(names(again)).containsExactly("a", "b", "c");
            }
        }
    }

    @Test
    void aStatementWhoseSettingsChangedIsClosedNotHandedOn() throws Exception {
        try (Connection c = cached(8).getConnection()) {
            JDBC4PreparedStatement limited;
            try (PreparedStatement ps = c.prepareStatement(ALL)) {
                limited = sqlite(ps);
                ps.setMaxRows(1);
                assertThat(names(ps)).containsExactly("a");
            }
            assertThat(limited.isClosed()).isTrue();
            try (PreparedStatement ps = c.prepareStatement(ALL)) {
                assertThat(sqlite(ps)).isNotSameAs(limited);
                assertThat(names(ps)).as("no row limit inherited").containsExactly("a", "b", "c");
            }
        }
    }

    @Test
    void aClosedStatementRefusesUseAsAnyClosedStatementDoes() throws Exception {
        try (Connection c = cached(8).getConnection()) {
            PreparedStatement ps = c.prepareStatement(BY_NAME);
            ps.close();
            ps.close(); // twice is allowed
            assertThat(ps.isClosed()).isTrue();
            assertThatThrownBy(() -> ps.setString(1, "a")).isInstanceOf(SQLException.class).hasMessageContaining("closed");
            assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class);
            assertThat(ps.getConnection()).isSameAs(c);
        }
    }

    @Test
    void writesThroughReusedStatementsCommitAndGeneratedKeysStillWork() throws Exception {
        try (Connection c = cached(8).getConnection(); Connection other = raw.getConnection()) {
            c.createStatement().executeUpdate("CREATE TABLE n (id INTEGER PRIMARY KEY, v TEXT)");
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO n (v) VALUES (?)", java.sql.Statement.RETURN_GENERATED_KEYS)) {
                    ps.setString(1, "v" + i);
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        assertThat(keys.next()).isTrue();
                        ids.add(keys.getLong(1));
                    }
                }
            }
            assertThat(ids).hasSize(50).doesNotHaveDuplicates().isSorted();
            try (ResultSet rs = other.createStatement().executeQuery("SELECT count(*), max(v) FROM n WHERE v LIKE 'v%'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("every autocommitted insert visible to another connection").isEqualTo(50);
            }
        }
    }

    @Test
    void atMostTheBoundIsKeptAndTheLeastRecentlyUsedIsClosedFirst() throws Exception {
        try (Connection c = cached(2).getConnection()) {
            JDBC4PreparedStatement a = used(c, "SELECT 1");
            JDBC4PreparedStatement b = used(c, "SELECT 2");
            assertThat(used(c, "SELECT 1")).isSameAs(a); // a is now the most recently used
            JDBC4PreparedStatement third = used(c, "SELECT 3");
            assertThat(b.isClosed()).as("the least recently used, evicted").isTrue();
            assertThat(a.isClosed()).isFalse();
            assertThat(used(c, "SELECT 3")).isSameAs(third);
        }
    }

    @Test
    void closingTheConnectionClosesItsKeptStatements() throws Exception {
        JDBC4PreparedStatement kept;
        try (Connection c = cached(8).getConnection()) {
            kept = used(c, "SELECT 1");
            assertThat(kept.isClosed()).isFalse();
        }
        assertThat(kept.isClosed()).isTrue();
    }

    @Test
    void zeroTurnsTheCacheOff() {
        assertThat(CachedStatements.around(raw, 0)).isSameAs(raw);
    }

    @Test
    void theServersDatabaseReusesStatementsThroughItsPoolAndWriterAndStaysCorrect() throws Exception {
        try (Database db = Database.open(java.nio.file.Files.createDirectories(dir.resolve("server")))) {
            db.write(c -> c.createStatement().executeUpdate("CREATE TABLE w (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)"));
            for (int i = 0; i < 200; i++) {
                int k = i % 20;
                db.write(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO w (k, v) VALUES (?, 1) ON CONFLICT (k) DO UPDATE SET v = v + 1")) {
                        ps.setInt(1, k);
                        return ps.executeUpdate();
                    }
                });
            }
            List<Integer> values = db.read(c -> {
                List<Integer> out = new ArrayList<>();
                for (int k = 0; k < 20; k++) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT v FROM w WHERE k = ?")) {
                        ps.setInt(1, k);
                        try (ResultSet rs = ps.executeQuery()) {
                            out.add(rs.next() ? rs.getInt(1) : -1);
                        }
                    }
                }
                return out;
            });
            assertThat(values).hasSize(20).containsOnly(10);
            JDBC4PreparedStatement[] seen = new JDBC4PreparedStatement[2];
            db.read(c -> {
                for (int i = 0; i < 2; i++) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM w")) {
                        seen[i] = sqlite(ps);
                    }
                }
                return null;
            });
            assertThat(seen[1]).as("reused under the pool").isSameAs(seen[0]);
        }
    }

    private static JDBC4PreparedStatement used(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            assertThat(names(ps)).hasSize(1);
            return sqlite(ps);
        }
    }
}
