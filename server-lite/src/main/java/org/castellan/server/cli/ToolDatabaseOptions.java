package org.castellan.server.cli;

import org.castellan.server.config.ConfigResolver;
import org.castellan.server.db.DatabaseTarget;
import picocli.CommandLine.Option;

/** {@code --database URL --database-password-file FILE}, for a tool that writes to the database serve uses. */
final class ToolDatabaseOptions {
    @Option(names = {"--database", "--database-url"}, paramLabel = "URL",
            description = "The PostgreSQL database the nodes share (as for serve; env CASTELLAN_DATABASE_URL); "
                    + "absent: the embedded database in DIR.")
    String database;

    @Option(names = "--database-password-file", paramLabel = "FILE",
            description = "File holding the PostgreSQL password (env CASTELLAN_DATABASE_PASSWORD_FILE or CASTELLAN_DATABASE_PASSWORD).")
    String databasePasswordFile;

    /** @throws IllegalArgumentException naming what is wrong with the URL or the password file */
    DatabaseTarget target(ConfigResolver resolver) {
        return resolver.database(null, database, databasePasswordFile);
    }
}
