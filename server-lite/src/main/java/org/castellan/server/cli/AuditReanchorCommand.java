package org.castellan.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.castellan.server.audit.AuditAnchorException;
import org.castellan.server.audit.Reanchor;
import org.castellan.server.config.ConfigResolver;
import org.castellan.server.db.Database;
import org.castellan.server.db.DatabaseOpenException;
import org.castellan.server.db.DatabaseTarget;
import org.castellan.server.http.TextRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code audit re-anchor --reason TEXT}: the explicit, audited way back to serving after the head
 * anchor was lost, became unreadable, or no longer matches the log (see {@code AnchorRule}). Exit 0
 * re-anchored; 1 when the chain is broken (nothing written); 2 without a database or a reason.
 */
@Command(name = "re-anchor", mixinStandardHelpOptions = true,
        description = "After investigating why serve refused the audit anchor, anchor the log as it is now "
                + "(audited as audit.re-anchor). Needs an intact chain; stop the server first.")
final class AuditReanchorCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (env CASTELLAN_DATA; default ./castellan-data).")
    String data;

    @Option(names = "--reason", paramLabel = "TEXT", required = true,
            description = "Why the log is re-anchored (a ticket, what was investigated); goes into the audit log.")
    String reason;

    @Option(names = {"--database", "--database-url"}, paramLabel = "URL",
            description = "The PostgreSQL database the nodes share (as for serve; env CASTELLAN_DATABASE_URL).")
    String database;

    @Option(names = "--database-password-file", paramLabel = "FILE",
            description = "File holding the PostgreSQL password (env CASTELLAN_DATABASE_PASSWORD_FILE or CASTELLAN_DATABASE_PASSWORD).")
    String databasePasswordFile;

    @Override
    public Integer call() throws IOException {
        ConfigResolver resolver = new ConfigResolver(System.getenv());
        DatabaseTarget target;
        try {
            target = resolver.database(null, database, databasePasswordFile);
        } catch (IllegalArgumentException e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 2;
        }
        return reanchor(resolver.dataDir(data), target, reason, "Audit log re-anchored at");
    }

    static int reanchor(Path dir, String givenReason, String saying) throws IOException {
        return reanchor(dir, DatabaseTarget.embeddedSqlite(), givenReason, saying);
    }

    /** Also for {@code audit verify --reset-anchor}: the reason is checked here, for both. */
    static int reanchor(Path dir, DatabaseTarget target, String givenReason, String saying) throws IOException {
        if (givenReason == null || TextRules.isBlank(givenReason) || givenReason.length() > 500
                || TextRules.hasControlCharacters(givenReason)) {
            System.err.println("castellan-server: --reason must be 1-500 printable characters");
            return 2;
        }
        String reason = TextRules.strip(givenReason);
        if (target.embedded() && !Files.exists(dir.resolve(Database.FILE_NAME))) {
            System.err.println("castellan-server: no database in " + dir);
            return 2;
        }
        Reanchor.Outcome outcome;
        try (Database db = Database.open(dir, target)) {
            outcome = Reanchor.run(db, dir, reason, Clock.systemUTC(), new SecureRandom());
        } catch (DatabaseOpenException e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 2;
        } catch (AuditAnchorException e) {
            System.out.println("Audit log NOT re-anchored: " + e.getMessage() + ".");
            return 1;
        }
        System.out.println(saying + " entry " + outcome.head().id() + " " + outcome.head().hash() + " ("
                + outcome.head().count() + " entries), recorded as that entry (" + Reanchor.ACTION + "); it was "
                + outcome.was() + ".");
        return 0;
    }
}
