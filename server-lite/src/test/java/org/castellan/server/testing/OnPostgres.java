package org.castellan.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.castellan.server.db.Database;
import org.castellan.server.db.DatabaseTarget;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Which database the servers of a test run use. By default each data directory's embedded SQLite
 * database; with the system property {@code castellan.test.database=postgresql} (server-lite's
 * {@code postgresql} surefire execution sets it) every server a test starts through
 * {@link TestServer#config} and every database it opens with {@link #open} runs on the real
 * PostgreSQL of this JVM ({@link PostgresServer#shared()}): the whole suite, a second time, on the
 * other backend. Each data directory gets its own fresh database (a restart over the same directory
 * finds the same one), a copy of a template migrated once per JVM, dropped after the test class.
 *
 * <p>Registered for every test class by JUnit's extension auto-detection
 * ({@code META-INF/services/org.junit.jupiter.api.extension.Extension}); it does nothing on SQLite.
 */
public final class OnPostgres implements BeforeAllCallback, AfterAllCallback {
    /** The system property that picks the backend of the whole test run: {@code postgresql}, or absent for SQLite. */
    public static final String PROPERTY = "castellan.test.database";
    private static final Map<Path, PostgresServer.Database> DATABASES = new ConcurrentHashMap<>();
    private static PostgresServer.Database template;
    private static Path passwordFile;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (active()) {
            PostgresServer.shared(); // skips (fails under CI) when PostgreSQL is not installed
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getTestClass().map(c -> c.isAnnotationPresent(Nested.class)).orElse(false)) {
            return; // the enclosing class still runs its servers
        }
        DATABASES.values().forEach(PostgresServer.Database::drop);
        DATABASES.clear();
    }

    /** Whether this run's servers use PostgreSQL. */
    public static boolean active() {
        return "postgresql".equalsIgnoreCase(System.getProperty(PROPERTY, ""));
    }

    /** The database of {@code dataDir} (created on first use), with its password set. */
    public static DatabaseTarget targetFor(Path dataDir) {
        return target(DATABASES.computeIfAbsent(key(dataDir), d -> fromTemplate()));
    }

    public static DatabaseTarget target(PostgresServer.Database db) {
        return DatabaseTarget.parse(db.url()).withPassword(db.password().toCharArray());
    }

    /** The PostgreSQL database behind {@code dataDir}'s server (for tests that tamper with it); null on SQLite. */
    public static PostgresServer.Database databaseFor(Path dataDir) {
        return DATABASES.get(key(dataDir));
    }

    /** Opens the database of {@code dataDir} as its server would: embedded SQLite, or its PostgreSQL database. */
    public static Database open(Path dataDir) throws IOException {
        return Database.open(dataDir, active() ? targetFor(dataDir) : null);
    }

    /**
     * What a {@code castellan-server} tool (audit verify, audit re-anchor) needs besides {@code --data}
     * to find {@code dataDir}'s database: nothing on SQLite, {@code --database URL
     * --database-password-file FILE} on PostgreSQL.
     */
    public static List<String> toolArguments(Path dataDir) {
        if (!active()) {
            return List.of();
        }
        targetFor(dataDir);
        return List.of("--database", databaseFor(dataDir).url(), "--database-password-file", passwordFile().toString());
    }

    /**
     * Gives {@code to} a copy of {@code from}'s PostgreSQL database as it is now (its server stopped,
     * nobody connected), as copying the SQLite files copies the embedded one; nothing on SQLite.
     */
    public static void copyDatabase(Path from, Path to) {
        if (!active()) {
            return;
        }
        PostgresServer.Database source = DATABASES.get(key(from));
        if (source == null) {
            throw new IllegalStateException("no PostgreSQL database for " + from);
        }
        PostgresServer.Database copy = PostgresServer.shared().newDatabase("castellan_copy", source);
        PostgresServer.Database old = DATABASES.put(key(to), copy);
        if (old != null) {
            old.drop();
        }
    }

    private static Path key(Path dataDir) {
        return dataDir.toAbsolutePath().normalize();
    }

    private static synchronized PostgresServer.Database fromTemplate() {
        PostgresServer server = PostgresServer.shared();
        if (template == null) {
            PostgresServer.Database migrated = server.newDatabase("castellan_template");
            try (Database db = Database.open(Path.of("."), target(migrated))) {
                db.dialect(); // opening migrated it; closing leaves no connection, so it can be copied
            } catch (IOException e) {
                throw new UncheckedIOException("cannot migrate the template database", e);
            }
            template = migrated;
        }
        return server.newDatabase("castellan_test", template);
    }

    private static synchronized Path passwordFile() {
        if (passwordFile == null) {
            try {
                Path file = Files.createTempFile("castellan-test-pg", ".password",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, PostgresServer.shared().password() + "\n", StandardCharsets.UTF_8);
                file.toFile().deleteOnExit();
                passwordFile = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return passwordFile;
    }
}
