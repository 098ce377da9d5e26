package org.castellan.server.files;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.castellan.protocol.files.PrivateFiles;

/**
 * The server's secret-bearing files, checked before it starts: the data directory, the database
 * (and its WAL and shared-memory files), the TLS keystore and its password, the vault keys, the
 * initial admin token and the audit anchor and its key, plus a configured TLS keystore. Any of them
 * owned by another user, or readable or writable by group or others, stops {@code serve} (exit 1,
 * each path named with the command that fixes it). Only files that exist are checked; the server
 * creates the others owner-only.
 */
public final class DataDirModes {
    private DataDirModes() {}

    /** Thrown by {@link #requirePrivate}; the message names every problem and its fix. */
    public static final class NotPrivate extends RuntimeException {
        public NotPrivate(String message) {
            super(message);
        }
    }

    public static List<Path> secretPaths(Path dataDir) {
        List<Path> paths = new ArrayList<>();
        paths.add(dataDir);
        for (String name : new String[] {"castellan.db", "castellan.db-wal", "castellan.db-shm", "initial-admin-token"}) {
            paths.add(dataDir.resolve(name));
        }
        for (String dir : new String[] {"tls", "vault", "audit"}) {
            paths.addAll(PrivateFiles.directoryAndEntries(dataDir.resolve(dir)));
        }
        return paths;
    }

    public static void requirePrivate(Path dataDir, List<Path> configured) {
        List<Path> paths = secretPaths(dataDir);
        paths.addAll(configured);
        List<PrivateFiles.Problem> problems = PrivateFiles.check(paths);
        if (!problems.isEmpty()) {
            throw new NotPrivate(PrivateFiles.describe("the server's secret files", problems));
        }
    }
}
