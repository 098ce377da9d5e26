package org.castellan.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.castellan.server.audit.AuditVerifier;
import org.castellan.server.audit.SqlAuditLog;
import org.castellan.server.config.ConfigResolver;
import org.castellan.server.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit verify}: exit 0 when the hash chain is intact; 1 naming the first bad entry. */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Check the audit log's hash chain.")
final class AuditVerifyCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (env CASTELLAN_DATA; default ./castellan-data).")
    String data;

    @Override
    public Integer call() throws Exception {
        Path dir = new ConfigResolver(System.getenv()).dataDir(data);
        if (!Files.exists(dir.resolve(Database.FILE_NAME))) {
            System.err.println("castellan-server: no database in " + dir);
            return 2;
        }
        try (Database db = Database.open(dir)) {
            AuditVerifier.Result result = db.read(c -> new AuditVerifier(new SqlAuditLog(java.time.Clock.systemUTC())).verify(c));
            if (result.intact()) {
                System.out.println("Audit log intact: " + result.rowsChecked() + " entries verified.");
                return 0;
            }
            AuditVerifier.Broken broken = result.firstBroken().orElseThrow();
            System.out.println("Audit log BROKEN at entry " + broken.id() + ": " + broken.problem());
            return 1;
        }
    }
}
