package org.castellan.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.castellan.server.CastellanServer;
import org.castellan.server.testing.PostgresqlOnly;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose PostgreSQL database cannot be reached (here: access revoked with
 * {@code ALLOW_CONNECTIONS false} and every session of the node terminated, as when PostgreSQL
 * goes down under it) answers 503 {@code database-unavailable} with a JSON body and
 * {@code Retry-After}, never a 500: admin calls, agent calls and {@code /healthz} alike, so an agent
 * with several server URLs and a load balancer move on to another node. When the database comes
 * back the node serves again without a restart.
 */
@PostgresqlOnly("a node's PostgreSQL database made unreachable")
class DatabaseUnreachableOnPostgresTest {
    @TempDir
    Path tmp;
    PostgresServer.Database database;
    TestServer node;

    @BeforeEach
    void start() throws Exception {
        database = PostgresServer.shared().newDatabase("unreachable");
        Path dir = tmp.resolve("node");
        CastellanServer server = CastellanServer.start(
                TestServer.config(dir, TestServer.GENEROUS).withDatabase(OnPostgres.target(database)));
        node = TestServer.attach(server, dir, server.initialAdminToken().orElseThrow());
    }

    @AfterEach
    void stop() {
        allowConnections(true);
        if (node != null) {
            node.close();
        }
        database.drop();
    }

    private void allowConnections(boolean allow) {
        database.server().sql("postgres", "ALTER DATABASE " + database.name() + " ALLOW_CONNECTIONS " + allow);
        if (!allow) {
            database.server().sql("postgres", "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = '" + database.name() + "' AND pid <> pg_backend_pid()");
        }
    }

    private void awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        int status;
        while ((status = node.get("/healthz").status()) != 200) {
            assertThat(status).isEqualTo(503);
            assertThat(System.nanoTime()).as("healthy again once the database is back").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void aNodeThatCannotReachItsDatabaseAnswers503WithAJsonBodyAndRecoversWhenItComesBack() throws Exception {
        TestAgent agent = new TestAgent(node).registered();
        assertThat(agent.checkIn("root").status()).isEqualTo(200);
        assertThat(node.get("/healthz").status()).isEqualTo(200);

        allowConnections(false);
        // The pooled connections were terminated: a call on one fails at once; the first call that
        // needs a new connection waits for the pool's connection timeout, and the node then fails
        // fast for a moment. Each answers 503.
        List<Callable<TestServer.Reply>> calls = List.of(
                () -> node.get("/api/v1/devices/" + agent.deviceId),
                () -> node.post("/api/v1/registration-keys", Map.of("name", "while-down")),
                () -> agent.escrow("root", UUID.randomUUID().toString(), "Never-Stored"),
                () -> node.get("/healthz"));
        for (Callable<TestServer.Reply> call : calls) {
            TestServer.Reply reply = call.call();
            assertThat(reply.status()).as(reply.body()).isEqualTo(503);
            assertThat(reply.contentType()).startsWith("application/json");
            assertThat(reply.error()).isEqualTo("database-unavailable");
            assertThat(reply.json().path("message").asText()).contains("nothing was changed");
            assertThat(reply.header("Retry-After")).isEqualTo("2");
        }

        allowConnections(true);
        awaitHealthy(); // the node fails fast for a moment after a failed connect, then tries again
        assertThat(agent.checkIn("root").status()).isEqualTo(200);
        assertThat(node.get("/api/v1/registration-keys").body())
                .as("nothing of the refused calls was written").doesNotContain("while-down");
    }
}
