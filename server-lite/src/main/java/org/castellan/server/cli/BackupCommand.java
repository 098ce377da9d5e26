package org.castellan.server.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.castellan.protocol.Json;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.audit.AuditIntake;
import org.castellan.server.backup.Backup;
import org.castellan.server.backup.BackupException;
import org.castellan.server.backup.SqliteDatabasePart;
import org.castellan.server.config.ConfigResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backup}: a consistent copy of a data directory while the server runs, sealed under the
 * recovery passphrase (stdin or {@code --passphrase-file}). Audited as {@code backup.create}: the
 * tool queues the event in the database and the running server chains it into its log within
 * seconds (a stopped one at its next start). Exit 0 written; 1 failed (nothing left behind); 2 usage.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Write a sealed backup of the data directory (safe while the server runs). "
                + "The recovery passphrase is read from standard input or --passphrase-file.")
final class BackupCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (env CASTELLAN_DATA; default ./castellan-data).")
    String data;

    @Option(names = "--output", paramLabel = "FILE", required = true, description = "The backup file to create (must not exist).")
    Path output;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Read the recovery passphrase from this "
            + "owner-only file instead of standard input.")
    Path passphraseFile;

    @Option(names = "--config", paramLabel = "FILE", description = "Also back up this config file (env CASTELLAN_CONFIG).")
    Path config;

    @Override
    public Integer call() throws IOException {
        Path dir = new ConfigResolver(System.getenv()).dataDir(data);
        Path configFile = config != null ? config
                : System.getenv(ConfigResolver.ENV_CONFIG) == null ? null : Path.of(System.getenv(ConfigResolver.ENV_CONFIG));
        byte[] passphrase;
        try {
            passphrase = PassphraseInput.read(passphraseFile, System.in, true);
        } catch (IllegalArgumentException e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 2;
        }
        List<Backup.External> externals = new ArrayList<>();
        if (configFile != null) {
            externals.add(new Backup.External(configFile));
        }
        try {
            Backup.Written written = new Backup(dir, new SqliteDatabasePart(dir), Clock.systemUTC(), new SecureRandom())
                    .write(output, passphrase, externals, w -> audit(dir, w));
            System.out.println("Backup " + written.backupId() + " written to " + output + " (" + written.bytes()
                    + " bytes, mode 0600): database (" + written.database() + "), vault keys " + written.vaultKeys()
                    + ", audit anchor at " + (written.auditHead() == null ? "none" : written.auditHead()) + ", "
                    + written.dataFiles().size() + " data files" + (configFile == null ? "" : ", config " + configFile)
                    + ".");
            System.out.println("Keep it away from this machine; it opens only with the recovery passphrase.");
            return 0;
        } catch (BackupException e) {
            System.err.println("castellan-server: backup failed: " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            System.err.println("castellan-server: backup failed (nothing was written): " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
            return 1;
        } finally {
            Arrays.fill(passphrase, (byte) 0);
        }
    }

    /** Queued for the server's log before the file is published: no unaudited backup exists. */
    private static void audit(Path dir, Backup.Written w) throws IOException {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("operator", System.getProperty("user.name"));
        detail.put("backupId", w.backupId());
        detail.put("database", w.database());
        detail.put("vaultKeys", w.vaultKeys());
        detail.put("auditAnchor", w.auditHead());
        detail.put("bytes", w.bytes());
        try (Connection c = SqliteDatabasePart.connect(dir)) {
            AuditIntake.submit(c, w.createdAt(), AuditActions.BACKUP_CREATE, "ok", null,
                    Json.mapper().writeValueAsString(detail));
        } catch (SQLException e) {
            throw new BackupException("cannot record the backup in the audit log (" + e.getMessage()
                    + "); no backup was written", e);
        }
    }
}
