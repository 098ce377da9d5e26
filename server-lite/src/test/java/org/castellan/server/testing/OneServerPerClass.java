package org.castellan.server.testing;

import java.nio.file.Path;
import org.castellan.server.notify.DispatcherSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up many behaviour tests share: one real server per test class (HTTPS, its own data
 * directory, SQLite, or PostgreSQL under {@link OnPostgres}), generous limits, a clock the tests
 * move (fresh for each class), the bootstrap admin's API, and devices enrolled on that clock.
 * Test classes run one after another, so the static fields belong to the class running now.
 */
public abstract class OneServerPerClass {
    @TempDir
    protected static Path dataDir;
    protected static TestClock clock;
    protected static TestServer server;
    protected static AdminApi admin;

    @BeforeAll
    static void startServer() throws Exception {
        clock = TestClock.now();
        server = TestServer.start(dataDir, TestServer.GENEROUS, clock, DispatcherSettings.defaults());
        admin = new AdminApi(server);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** A registered device whose requests are signed on the server's clock (the tests move it by days). */
    protected static TestAgent agent() throws Exception {
        TestAgent agent = new TestAgent(server);
        agent.clock = clock;
        return agent.registered();
    }
}
