package org.castellan.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.castellan.server.backup.BackupException;
import org.castellan.server.backup.Restore;
import org.castellan.server.backup.SqliteDatabasePart;
import org.castellan.server.config.ConfigResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code restore}: a backup into a new or empty data directory, checked before it is put in place
 * and audited as {@code server.restored} in the restored log. Exit 0 restored; 1 refused or
 * failed (nothing written); 2 usage.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a backup into a new or empty data directory. The recovery passphrase is read "
                + "from standard input or --passphrase-file.")
final class RestoreCommand implements Callable<Integer> {
    @Option(names = "--input", paramLabel = "FILE", required = true, description = "The backup file.")
    Path input;

    @Option(names = "--data", paramLabel = "DIR", description = "The new data directory, absent or empty (env CASTELLAN_DATA; default ./castellan-data).")
    String data;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Read the recovery passphrase from this "
            + "owner-only file instead of standard input.")
    Path passphraseFile;

    @Override
    public Integer call() throws IOException {
        Path dir = new ConfigResolver(System.getenv()).dataDir(data);
        if (!Files.isRegularFile(input)) {
            System.err.println("castellan-server: no backup file " + input);
            return 2;
        }
        try {
            Restore.requireEmpty(dir);
        } catch (BackupException e) {
            System.err.println("castellan-server: restore refused: " + e.getMessage());
            return 1;
        }
        byte[] passphrase;
        try {
            passphrase = PassphraseInput.read(passphraseFile, System.in, false);
        } catch (IllegalArgumentException e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 2;
        }
        try {
            Restore.Restored restored = new Restore(kind -> kind.equals(SqliteDatabasePart.KIND)
                    ? new SqliteDatabasePart(dir) : null, Clock.systemUTC(), new SecureRandom())
                    .restore(input, passphrase, dir, input.toAbsolutePath().toString());
            System.out.println("Restored backup " + restored.backupId() + " (taken " + restored.createdAt() + ") into "
                    + dir + ": audit log intact, " + restored.head().count() + " entries, recorded as entry "
                    + restored.head().id() + " (server.restored) and anchored there.");
            for (Path p : restored.external()) {
                System.out.println("Config file restored to " + dir.resolve(p) + ": review it, then start the server"
                        + " with --config pointing at it (or move it back where it was).");
            }
            System.out.println("Start the server on this directory: agents keep working (same TLS certificate,"
                    + " same vault keys).");
            return 0;
        } catch (BackupException e) {
            System.err.println("castellan-server: restore failed: " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            System.err.println("castellan-server: restore failed (nothing was written): " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
            return 1;
        } finally {
            Arrays.fill(passphrase, (byte) 0);
        }
    }
}
