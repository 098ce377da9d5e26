package org.castellan.server.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.castellan.server.db.Database;
import org.castellan.server.files.SecureFiles;
import org.sqlite.SQLiteConfig;

/**
 * The embedded database: {@code VACUUM INTO} on a connection of the backup's own, which reads
 * one WAL snapshot of the database (every transaction committed before it, none after) while
 * the server goes on writing, and writes a compact copy to a file created 0600 beforehand. The
 * copy holds what the live database holds: ciphertext envelopes and hashes, no secret.
 */
public final class SqliteDatabasePart implements DatabasePart {
    public static final String KIND = "sqlite";
    private final Path dataDir;

    public SqliteDatabasePart(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** A plain connection to the live database: no migration, nothing changed by opening it. */
    public static Connection connect(Path dataDir) throws SQLException, IOException {
        Path file = dataDir.resolve(Database.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new BackupException("no database in " + dataDir + " (" + file + " is missing)");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(30_000);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    @Override
    public List<Path> snapshot(Path workDir) throws IOException {
        Path copy = workDir.resolve(Database.FILE_NAME);
        SecureFiles.createEmpty(copy); // VACUUM INTO accepts an empty file; this one is 0600 from the start
        try (Connection c = connect(dataDir);
             PreparedStatement st = c.prepareStatement("VACUUM INTO ?")) {
            st.setString(1, copy.toAbsolutePath().toString());
            st.execute();
        } catch (SQLException e) {
            throw new BackupException("cannot copy the database " + dataDir.resolve(Database.FILE_NAME) + ": "
                    + e.getMessage(), e);
        }
        return List.of(Path.of(Database.FILE_NAME));
    }

    @Override
    public void restore(String name, Path file, Path newDataDir) throws IOException {
        if (!name.equals(Database.FILE_NAME)) {
            throw new BackupException("unexpected database entry " + name + " in the backup");
        }
        Files.move(file, newDataDir.resolve(Database.FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
    }
}
