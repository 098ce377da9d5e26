package org.castellan.server.notify;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteDataSource;

/** A real SQLite file with the server's migrations applied, as the server opens it. */
final class OutboxDatabase {
    private OutboxDatabase() {}

    static DataSource open(Path file) {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        dataSource.setJournalMode("WAL");
        dataSource.setBusyTimeout(5000);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/sqlite")
                .placeholders(java.util.Map.of("autoincrement_id", "INTEGER PRIMARY KEY AUTOINCREMENT")).load().migrate();
        return dataSource;
    }
}
