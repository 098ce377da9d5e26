package org.castellan.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.castellan.protocol.Secret;
import org.castellan.server.CastellanServer;
import org.castellan.server.audit.HeadAnchorFile;
import org.castellan.server.db.DatabaseTarget;
import org.castellan.server.db.Dialect;
import org.castellan.server.testing.PostgresqlOnly;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A webhook is still delivered, at least once, when the node delivering it dies mid-delivery.
 * Two real nodes on one real PostgreSQL; node A runs the dispatcher (it holds the job's advisory
 * lock) and connects as a database role of its own, so that it can be killed as the cluster sees a
 * dead node: its login revoked and every one of its sessions terminated (the lock session too)
 * while its POST to the receiver is in flight. The receiver got A's copy; A can record nothing;
 * node B takes the dispatcher over and, once A's lease has run out, sends the entry again with
 * the same event id, which is how a receiver deduplicates (at-least-once delivery).
 */
@PostgresqlOnly("a webhook dispatcher cut off its PostgreSQL database, another node taking over")
class WebhookFailoverOnPostgresTest {
    static final String SECRET = "webhook-signing-secret-0123456789";
    /** Lease = connect + request timeout + 5 s = 11 s: how long B waits before it re-sends A's claim. */
    static final DispatcherSettings SETTINGS = new DispatcherSettings(Duration.ofMillis(50), Duration.ofSeconds(1),
            Duration.ofSeconds(5), 50, new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(300), 0.0), 10);

    @TempDir
    Path tmp;
    PostgresServer.Database database;
    String role;
    TestServer a;
    TestServer b;

    @AfterEach
    void stop() {
        if (role != null) {
            database.sql("ALTER ROLE " + role + " LOGIN");
        }
        for (TestServer node : new TestServer[] {b, a}) {
            if (node != null) {
                node.close();
            }
        }
        if (database != null) {
            database.drop();
        }
        if (role != null) {
            database.server().sql("postgres", "DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void whenTheDeliveringNodeDiesMidDeliveryTheOtherDeliversTheSameEventAgain() throws Exception {
        database = PostgresServer.shared().newDatabase("webhook_failover");
        role = ("node_a_" + database.name()).toLowerCase(java.util.Locale.ROOT);
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String rolePassword = HexFormat.of().formatHex(random); // a throwaway role of the throwaway cluster
        database.sql("CREATE ROLE " + role + " LOGIN PASSWORD '" + rolePassword + "'");
        database.server().sql("postgres", "ALTER DATABASE " + database.name() + " OWNER TO " + role);
        DatabaseTarget asNodeA = DatabaseTarget.parse("postgresql://127.0.0.1:" + database.server().port() + "/"
                + database.name() + "?user=" + role).withPassword(rolePassword.toCharArray());

        Path dirA = tmp.resolve("node-a");
        CastellanServer first = CastellanServer.start(TestServer.config(dirA, TestServer.GENEROUS).withDatabase(asNodeA),
                Clock.systemUTC(), SETTINGS);
        String token = first.initialAdminToken().orElseThrow();
        a = TestServer.attach(first, dirA, token);
        awaitDispatcherLockHeldBy(role); // A alone: its dispatcher takes the lead at its first poll
        Path dirB = tmp.resolve("node-b");
        shareKeys(dirA, dirB);
        b = TestServer.attach(CastellanServer.start(TestServer.config(dirB, TestServer.GENEROUS)
                .withDatabase(OnPostgres.target(database)), Clock.systemUTC(), SETTINGS), dirB, token);

        try (WebhookReceiver receiver = new WebhookReceiver()) {
            CountDownLatch gate = new CountDownLatch(1);
            receiver.gate = gate;
            AdminApi admin = new AdminApi(b);
            TestAgent agent = new TestAgent(b).registered();
            AdminApi.escrowAndCommit(agent, "root", "Watched-password-1");
            String channel = admin.channel(receiver.url().toString(), SECRET);
            String user = admin.user("helpdesk", null);
            admin.rule(Map.of("principals", List.of("user:" + user), "targets", List.of("device:" + agent.deviceId),
                    "permissions", List.of("password.read"), "channels", List.of(channel)));
            assertThat(b.getWithToken("/api/v1/devices/" + agent.deviceId + "/password?reason=ticket%209",
                    admin.token(user)).status()).isEqualTo(200);

            // A's POST is at the receiver, unanswered: A dies as far as the cluster can tell.
            receiver.awaitOne(Duration.ofSeconds(20));
            database.sql("ALTER ROLE " + role + " NOLOGIN");
            database.sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = '" + role + "'");
            gate.countDown(); // the receiver answers A's request; A cannot record that it was delivered

            List<WebhookReceiver.Received> copies = receiver.awaitCount(2, Duration.ofSeconds(60));
            assertThat(copies).hasSize(2);
            String eventId = copies.get(0).header("X-Castellan-Event-Id");
            assertThat(eventId).isNotBlank();
            assertThat(copies).as("a duplicate carries the same event id, so the receiver can drop it")
                    .allSatisfy(c -> assertThat(c.header("X-Castellan-Event-Id")).isEqualTo(eventId));
            for (WebhookReceiver.Received copy : copies) {
                assertThat(WebhookSigner.verify(Secret.of(SECRET), copy.header(WebhookSigner.HEADER), copy.body(),
                        Instant.now(), Duration.ofMinutes(5))).isTrue();
                NotificationEvent event = NotificationEvent.fromJson(new String(copy.body(), StandardCharsets.UTF_8));
                assertThat(event.type()).isEqualTo(NotificationEvent.PASSWORD_REVEALED);
                assertThat(event.reason()).isEqualTo("ticket 9");
            }
            assertThat(database.sql("SELECT count(*) || ' ' || count(delivered_at) FROM notification_outbox"))
                    .as("one entry, recorded delivered (by B)").isEqualTo("1 1");
        }
    }

    /** Waits until a session of {@code user} holds the webhook dispatcher's advisory lock. */
    private void awaitDispatcherLockHeldBy(String user) throws InterruptedException {
        long key = Dialect.lockId("job:webhooks");
        String query = "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND s.usename = '" + user + "'"
                + " AND l.classid::bigint = " + (key >>> 32) + " AND l.objid::bigint = " + (key & 0xffffffffL);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!database.sql(query).equals("1")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node A's dispatcher did not take the lead");
            }
            Thread.sleep(20);
        }
    }

    /** What an operator copies to a new node: the data directory but this node's witness and the token. */
    static void shareKeys(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path rel = from.relativize(p);
                if (rel.toString().equals(HeadAnchorFile.DIRECTORY + "/" + HeadAnchorFile.HEAD)
                        || rel.toString().startsWith("initial-admin-token")) {
                    continue;
                }
                Files.copy(p, to.resolve(rel.toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
