package org.castellan.server.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The database's share of a backup, one implementation per storage backend, named in the header
 * and manifest by {@link #kind()}: {@code sqlite} copies the embedded database with SQLite's own
 * online backup; a PostgreSQL part can carry a {@code pg_dump} archive the same way, or leave the
 * database to the operator's {@code pg_dump} (docs/backup.md) and back up only the files.
 */
public interface DatabasePart {
    /** The name in the file; a restore refuses a kind it has no part for. */
    String kind();

    /**
     * Takes a consistent snapshot of the live database into {@code workDir} (private, on the
     * backup's file system) while the server keeps serving, and returns the files written, in the
     * order they go into the backup. Their names are relative to {@code workDir}.
     */
    List<Path> snapshot(Path workDir) throws IOException;

    /** Puts one snapshot file, already extracted to {@code file}, back as {@code name} into the new data directory. */
    void restore(String name, Path file, Path dataDir) throws IOException;
}
