package org.castellan.server.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.castellan.server.db.DatabaseTarget;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class's servers on the real PostgreSQL of this JVM ({@link PostgresServer#shared()})
 * instead of the embedded SQLite database: {@code @ExtendWith(OnPostgres.class)} on a subclass of
 * an existing behaviour test makes the same tests run on both backends. Each data directory gets
 * its own fresh database (a restart over the same directory finds the same one), dropped after
 * the class.
 */
public final class OnPostgres implements BeforeAllCallback, AfterAllCallback {
    private static volatile boolean active;
    private static final Map<Path, PostgresServer.Database> DATABASES = new ConcurrentHashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        PostgresServer.shared(); // skips (fails under CI) when PostgreSQL is not installed
        active = true;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        active = false;
        DATABASES.values().forEach(PostgresServer.Database::drop);
        DATABASES.clear();
    }

    /** Whether the running class asked for PostgreSQL. */
    public static boolean active() {
        return active;
    }

    /** The database of {@code dataDir} (created on first use), with its password set. */
    public static DatabaseTarget targetFor(Path dataDir) {
        PostgresServer.Database db = DATABASES.computeIfAbsent(dataDir.toAbsolutePath().normalize(),
                d -> PostgresServer.shared().newDatabase("castellan_test"));
        return target(db);
    }

    public static DatabaseTarget target(PostgresServer.Database db) {
        return DatabaseTarget.parse(db.url()).withPassword(db.password().toCharArray());
    }

    /** The PostgreSQL database behind {@code dataDir}'s server (for tests that tamper with it). */
    public static PostgresServer.Database databaseFor(Path dataDir) {
        return DATABASES.get(dataDir.toAbsolutePath().normalize());
    }
}
