package org.castellan.server.notify;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.castellan.server.testing.OnPostgres;
import org.castellan.testsupport.PostgresServer;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * A real SQLite file with the server's migrations applied, as the server opens it; or, when the run
 * is on PostgreSQL, the migrated PostgreSQL database of the file's directory.
 */
final class OutboxDatabase {
    private OutboxDatabase() {}

    static DataSource open(Path file) {
        if (OnPostgres.active()) {
            Path dir = file.toAbsolutePath().getParent();
            OnPostgres.targetFor(dir);
            PostgresServer.Database db = OnPostgres.databaseFor(dir);
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(db.jdbcUrl());
            dataSource.setUser(db.user());
            dataSource.setPassword(db.password());
            return dataSource;
        }
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        dataSource.setJournalMode("WAL");
        dataSource.setBusyTimeout(5000);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/sqlite")
                .placeholders(java.util.Map.of("autoincrement_id", "INTEGER PRIMARY KEY AUTOINCREMENT")).load().migrate();
        return dataSource;
    }
}
