package org.castellan.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.castellan.server.audit.AuditAnchorException;
import org.castellan.server.audit.AuditHead;
import org.castellan.server.audit.AuditVerifier;
import org.castellan.server.audit.HeadAnchorFile;
import org.castellan.server.audit.SqlAuditLog;
import org.castellan.server.config.ConfigResolver;
import org.castellan.server.audit.SharedAuditAnchor;
import org.castellan.server.db.Database;
import org.castellan.server.db.DatabaseOpenException;
import org.castellan.server.db.DatabaseTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code audit verify}: exit 0 when the hash chain is intact and reaches the head recorded in
 * {@code DIR/audit/head}; 1 naming the first bad entry, the missing newest entries, a forged or
 * missing anchor, or an expected head that is not in the log; 2 when there is no database.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check the audit log's hash chain and that it reaches its anchored head.")
final class AuditVerifyCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (env CASTELLAN_DATA; default ./castellan-data).")
    String data;

    @Option(names = "--expect-head", paramLabel = "HASH",
            description = "A head hash printed by an earlier verify and kept elsewhere: it must still be in the chain.")
    String expectHead;

    @Option(names = "--reset-anchor",
            description = "Same as 'audit re-anchor' (audited): after investigating a mismatch, anchor the database "
                    + "as it is now. Needs an intact chain; stop the server first.")
    boolean resetAnchor;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (with --reset-anchor); goes into the audit log.")
    String reason;

    @Option(names = {"--database", "--database-url"}, paramLabel = "URL",
            description = "The PostgreSQL database the nodes share (as for serve; env CASTELLAN_DATABASE_URL).")
    String database;

    @Option(names = "--database-password-file", paramLabel = "FILE",
            description = "File holding the PostgreSQL password (env CASTELLAN_DATABASE_PASSWORD_FILE or CASTELLAN_DATABASE_PASSWORD).")
    String databasePasswordFile;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON config file (env CASTELLAN_CONFIG), for \"database\".")
    String configFile;

    @Override
    public Integer call() throws IOException {
        ConfigResolver resolver = new ConfigResolver(System.getenv());
        Path dir = resolver.dataDir(data);
        DatabaseTarget target;
        try {
            target = resolver.database(configFile, database, databasePasswordFile);
        } catch (IllegalArgumentException e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 2;
        }
        if (!target.embedded()) {
            if (resetAnchor) {
                System.err.println("castellan-server: --reset-anchor is for the embedded database; on PostgreSQL run"
                        + " 'audit re-anchor' (see docs/postgresql.md)");
                return 2;
            }
            return verifyShared(dir, target);
        }
        if (!Files.exists(dir.resolve(Database.FILE_NAME))) {
            System.err.println("castellan-server: no database in " + dir);
            return 2;
        }
        if (expectHead != null && !expectHead.matches("[0-9a-fA-F]{64}")) {
            System.err.println("castellan-server: --expect-head must be a 64-digit hex hash as 'audit verify' prints it");
            return 2;
        }
        String expected = expectHead == null ? null : expectHead.toLowerCase(Locale.ROOT);
        HeadAnchorFile anchorFile = new HeadAnchorFile(dir);
        // The anchor first, then the database: the server writes the anchor after each commit, so an
        // anchor read before the rows is never ahead of them, even while the server runs.
        Optional<AuditHead> anchor = Optional.empty();
        String anchorError = null;
        try {
            anchor = anchorFile.read();
        } catch (AuditAnchorException e) {
            anchorError = e.getMessage();
        }
        Optional<AuditHead> checkAgainst = resetAnchor ? Optional.empty() : anchor;
        AuditVerifier.Result result;
        try (Database db = Database.open(dir)) {
            result = db.read(c -> new AuditVerifier(new SqlAuditLog(Clock.systemUTC())).verify(c, checkAgainst, expected));
        }
        if (result.firstBroken().isPresent()) {
            AuditVerifier.Broken broken = result.firstBroken().get();
            System.out.println("Audit log BROKEN at entry " + broken.id() + ": " + broken.problem());
            return 1;
        }
        AuditHead end = result.end();
        if (resetAnchor) {
            return reset(dir);
        }
        if (anchorError != null) {
            System.out.println("Audit log BROKEN: " + anchorError + ".");
            return 1;
        }
        if (anchor.isEmpty() && (end.count() > 0 || anchorFile.keyExists())) {
            System.out.println("Audit log UNANCHORED: there is no head anchor " + anchorFile.headPath()
                    + ", so deleted newest entries cannot be detected. A database from before head anchoring gets"
                    + " its anchor when the server next starts; otherwise the anchor was removed.");
            return 1;
        }
        if (result.anchorProblem().isPresent()) {
            System.out.println("Audit log BROKEN: " + result.anchorProblem().get() + ".");
            return 1;
        }
        if (expected != null && result.expectedHeadId().isEmpty()) {
            System.out.println("Audit log BROKEN: the expected head " + expected + " is not in the log"
                    + " (entries up to it were deleted or rewritten, or it belongs to another server).");
            return 1;
        }
        System.out.println("Audit log intact: " + result.rowsChecked() + " entries verified; head " + end.id() + " "
                + end.hash() + ".");
        if (anchor.isPresent() && end.id() > anchor.get().id()) {
            System.out.println("Note: " + (end.count() - anchor.get().count()) + " newest entries (after entry "
                    + anchor.get().id() + ") are not anchored yet: committed just before their anchor write"
                    + " (the server is running, or stopped right after a commit); the next start anchors them.");
        }
        if (expected != null) {
            System.out.println("Expected head " + expected + " is entry " + result.expectedHeadId().getAsLong() + ".");
        }
        return 0;
    }

    private int verifyShared(Path dir, DatabaseTarget target) throws IOException {
        if (expectHead != null && !expectHead.matches("[0-9a-fA-F]{64}")) {
            System.err.println("castellan-server: --expect-head must be a 64-digit hex hash as 'audit verify' prints it");
            return 2;
        }
        String expected = expectHead == null ? null : expectHead.toLowerCase(Locale.ROOT);
        try (Database db = Database.open(dir, target)) {
            AuditVerifier.Result result = db.read(c -> new AuditVerifier(new SqlAuditLog(Clock.systemUTC()))
                    .verify(c, Optional.empty(), expected));
            if (result.firstBroken().isPresent()) {
                AuditVerifier.Broken broken = result.firstBroken().get();
                System.out.println("Audit log BROKEN at entry " + broken.id() + ": " + broken.problem());
                return 1;
            }
            AuditHead end = result.end();
            Optional<String> problem = SharedAuditAnchor.problem(db, dir, end);
            if (problem.isPresent()) {
                System.out.println("Audit log BROKEN: " + problem.get() + ".");
                return 1;
            }
            if (expected != null && result.expectedHeadId().isEmpty()) {
                System.out.println("Audit log BROKEN: the expected head " + expected + " is not in the log"
                        + " (entries up to it were deleted or rewritten, or it belongs to another server).");
                return 1;
            }
            System.out.println("Audit log intact: " + result.rowsChecked() + " entries verified; head " + end.id() + " "
                    + end.hash() + ".");
            return 0;
        } catch (DatabaseOpenException e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 2;
        }
    }

    private int reset(Path dir) throws IOException {
        String why = reason == null ? "audit verify --reset-anchor" : reason;
        return AuditReanchorCommand.reanchor(dir, why, "Audit head anchor reset to");
    }
}
