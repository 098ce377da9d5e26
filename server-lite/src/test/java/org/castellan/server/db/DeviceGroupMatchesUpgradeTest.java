package org.castellan.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.castellan.server.testing.PostgresqlOnly;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * A server upgraded to V93 with pattern groups and devices already stored: the migration fills
 * {@code device_group_matches} from them (without it, a user reaching devices through such a group
 * would see none after the upgrade until each device changed its name), on SQLite and PostgreSQL.
 */
@PostgresqlOnly("runs its migrations on both backends itself")
class DeviceGroupMatchesUpgradeTest {

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theUpgradeFillsTheMatchesOfExistingGroups(String backend, @TempDir Path dir) throws Exception {
        PostgresServer.Database pg = null;
        DataSource source;
        Dialect dialect;
        if (backend.equals("sqlite")) {
            SQLiteDataSource sqlite = new SQLiteDataSource();
            sqlite.setUrl("jdbc:sqlite:" + dir.resolve(Database.FILE_NAME));
            sqlite.setEnforceForeignKeys(true);
            source = sqlite;
            dialect = Dialect.SQLITE;
        } else {
            pg = PostgresServer.shared().newDatabase("upgrade"); // skips (fails under CI) without PostgreSQL
            PGSimpleDataSource postgres = new PGSimpleDataSource();
            postgres.setUrl("jdbc:" + pg.url());
            postgres.setPassword(pg.password());
            source = postgres;
            dialect = Dialect.POSTGRESQL;
        }
        try {
            Migrations.configure(source, dialect).target("92").load().migrate();
            try (Connection c = source.getConnection(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO devices (id, hostname, os, public_key, registered_at) VALUES"
                        + " ('d-1', 'WEB-01', 'linux', 'k1', 0), ('d-2', 'web_2', 'windows', 'k2', 0),"
                        + " ('d-3', 'webx2', 'linux', 'k3', 0), ('d-4', 'mail', 'linux', 'k4', 0)");
                st.execute("INSERT INTO device_groups (id, name, match_hostname, match_os, created_at) VALUES"
                        + " ('g-web', 'web', 'web*', NULL, 0), ('g-under', 'under', 'web_?', NULL, 0),"
                        + " ('g-linux-web', 'linux web', 'WEB-*', 'linux', 0), ('g-plain', 'plain', NULL, NULL, 0)");
            }
            Migrations.configure(source, dialect).load().migrate();
            try (Connection c = source.getConnection();
                 PreparedStatement st = c.prepareStatement("SELECT group_id || ' ' || device_id FROM device_group_matches");
                 ResultSet rs = st.executeQuery()) {
                Set<String> rows = new TreeSet<>();
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
                assertThat(rows).as(backend).containsExactlyInAnyOrder(
                        "g-web d-1", "g-web d-2", "g-web d-3", "g-under d-2", "g-linux-web d-1");
            }
        } finally {
            if (pg != null) {
                pg.drop();
            }
        }
    }
}
