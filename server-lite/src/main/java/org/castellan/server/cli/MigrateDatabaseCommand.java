package org.castellan.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.castellan.server.audit.AuditAnchorException;
import org.castellan.server.audit.AuditHead;
import org.castellan.server.audit.AuditVerifier;
import org.castellan.server.audit.HeadAnchorFile;
import org.castellan.server.audit.SharedChainHead;
import org.castellan.server.audit.SqlAuditLog;
import org.castellan.server.config.ConfigResolver;
import org.castellan.server.db.Database;
import org.castellan.server.db.DatabaseCopy;
import org.castellan.server.db.DatabaseOpenException;
import org.castellan.server.db.DatabaseTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code migrate-database --data DIR --to postgresql://…}: copies an embedded installation into an
 * empty PostgreSQL database (server stopped). Every row as it is; the audit chain must verify and
 * reach its anchor first, and its head row is written under the installation's anchor key, so
 * {@code audit verify --database} and {@code serve --database} accept the copy. Exit 0 copied; 1
 * refused (broken chain, non-empty target); 2 bad arguments or an unusable database.
 */
@Command(name = "migrate-database", mixinStandardHelpOptions = true,
        description = "Copy the embedded SQLite database of DIR into an empty PostgreSQL database (stop the server first).")
final class MigrateDatabaseCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (env CASTELLAN_DATA; default ./castellan-data).")
    String data;

    @Option(names = "--to", paramLabel = "URL", required = true, description = "postgresql://HOST:PORT/DB?user=NAME (empty database).")
    String to;

    @Option(names = "--database-password-file", paramLabel = "FILE",
            description = "File holding the PostgreSQL password (env CASTELLAN_DATABASE_PASSWORD_FILE or CASTELLAN_DATABASE_PASSWORD).")
    String databasePasswordFile;

    @Override
    public Integer call() throws Exception {
        ConfigResolver resolver = new ConfigResolver(System.getenv());
        Path dir = resolver.dataDir(data);
        DatabaseTarget target;
        try {
            target = resolver.database(null, to, databasePasswordFile);
        } catch (IllegalArgumentException e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 2;
        }
        if (target.embedded()) {
            System.err.println("castellan-server: --to must be a postgresql:// URL");
            return 2;
        }
        if (!Files.exists(dir.resolve(Database.FILE_NAME))) {
            System.err.println("castellan-server: no database in " + dir);
            return 2;
        }
        HeadAnchorFile anchorFile = new HeadAnchorFile(dir);
        try (Database sqlite = Database.open(dir)) {
            Optional<AuditHead> anchor;
            try {
                anchor = anchorFile.read();
            } catch (AuditAnchorException e) {
                System.out.println("Not migrated: " + e.getMessage() + ".");
                return 1;
            }
            AuditVerifier.Result chain = sqlite.read(c -> new AuditVerifier(new SqlAuditLog(Clock.systemUTC()))
                    .verify(c, anchor, null));
            if (chain.firstBroken().isPresent() || chain.anchorProblem().isPresent()
                    || (anchor.isEmpty() && chain.end().count() > 0)) {
                System.out.println("Not migrated: the audit log does not verify against its anchor; run"
                        + " 'castellan-server audit verify' first.");
                return 1;
            }
            try (Database pg = Database.open(dir, target)) {
                List<String> tables = sqlite.read(DatabaseCopy::tables);
                String busy = pg.read(c -> {
                    for (String table : tables) {
                        long rows = DatabaseCopy.count(c, table);
                        if (rows > (table.equals("policies") ? 1 : 0)) {
                            return table;
                        }
                    }
                    return DatabaseCopy.count(c, "audit_chain_head") > 0 ? "audit_chain_head" : null;
                });
                if (busy != null) {
                    System.out.println("Not migrated: the target database is not empty (table " + busy + " has rows).");
                    return 1;
                }
                if (!anchorFile.keyExists()) {
                    System.out.println("Not migrated: the anchor key " + anchorFile.keyPath() + " is missing.");
                    return 1;
                }
                SharedChainHead head = new SharedChainHead(anchorFile, Clock.systemUTC());
                long[] copied = new long[1];
                pg.write(p -> {
                    try (PreparedStatement st = p.prepareStatement("DELETE FROM policies")) {
                        st.executeUpdate(); // the default row the schema seeds; the copy brings the real one
                    }
                    sqlite.read(s -> {
                        for (String table : tables) {
                            copied[0] += DatabaseCopy.copy(s, p, table);
                        }
                        return null;
                    });
                    try (PreparedStatement st = p.prepareStatement("SELECT setval(pg_get_serial_sequence("
                            + "'notification_outbox', 'id'), GREATEST(1, (SELECT COALESCE(MAX(id), 0) FROM notification_outbox)))");
                         ResultSet rs = st.executeQuery()) {
                        rs.next();
                    }
                    head.put(p, SqlAuditLog.head(p));
                    return null;
                });
                AuditHead end = pg.read(SqlAuditLog::head);
                System.out.println("Migrated " + copied[0] + " rows of " + tables.size() + " tables to " + target
                        + "; audit log ends at entry " + end.id() + " (" + end.count() + " entries). Start the server with"
                        + " --database and copy DIR/vault, DIR/tls and DIR/audit/anchor.key to any other node.");
                return 0;
            }
        } catch (DatabaseOpenException e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 2;
        }
    }
}
