package org.castellan.server.notify;

import org.castellan.server.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.castellan.protocol.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real SQLite file, real HTTP receiver, real dispatcher. */
class WebhookDeliveryTest {
    static final Secret SECRET = Secret.of("whsec-test-0123456789");
    static final DispatcherSettings NO_JITTER = new DispatcherSettings(Duration.ofMillis(50), Duration.ofSeconds(2),
            Duration.ofSeconds(5), 4, new RetryBackoff(Duration.ofSeconds(5), Duration.ofHours(1), 0.0), 50);

    @TempDir
    Path dir;
    Path dbFile;
    WebhookReceiver receiver;
    final TestClock clock = new TestClock(Instant.parse("2026-11-22T10:00:00Z"));

    @BeforeEach
    void setUp() throws Exception {
        dbFile = dir.resolve("castellan.db");
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    WebhookChannels channels() {
        WebhookChannel channel = new WebhookChannel("ch1", "security", receiver.url(), SECRET);
        return id -> id.equals("ch1") ? Optional.of(channel) : Optional.empty();
    }

    static NotificationEvent revealed(Instant at) {
        return NotificationEvent.of(NotificationEvent.PASSWORD_REVEALED, at, "dev-7", "web-01",
                "user:42", "ticket INC-1234", List.of("r1", "r3"));
    }

    @Test
    void eventArrivesFromTheBackgroundThreadWithASignatureThatVerifies() throws Exception {
        DataSource db = OutboxDatabase.open(dbFile);
        JdbcNotificationOutbox outbox = new JdbcNotificationOutbox(db, Clock.systemUTC());
        WebhookDispatcher dispatcher = new WebhookDispatcher(outbox, channels(), Clock.systemUTC(), NO_JITTER);
        NotificationEvent event = revealed(Instant.now());
        long id = outbox.enqueue("ch1", event);
        dispatcher.start();
        try {
            WebhookReceiver.Received got = receiver.awaitOne(Duration.ofSeconds(10));
            assertThat(WebhookSigner.verify(SECRET, got.header("X-Castellan-Signature"), got.body(), Instant.now(),
                    Duration.ofMinutes(5))).isTrue();
            assertThat(WebhookSigner.verify(Secret.of("other"), got.header("X-Castellan-Signature"), got.body(),
                    Instant.now(), Duration.ofMinutes(5))).isFalse();
            assertThat(NotificationEvent.fromJson(new String(got.body(), StandardCharsets.UTF_8))).isEqualTo(event);
            assertThat(got.header("X-Castellan-Event-Id")).isEqualTo(event.id());
            assertThat(got.header("X-Castellan-Event")).isEqualTo("password.revealed");
            assertThat(got.header("Content-Type")).isEqualTo("application/json");
            awaitDelivered(outbox, id);
        } finally {
            dispatcher.stop();
        }
    }

    @Test
    void receiverAnswering500IsRetriedAfterBackoffAndGetsTheEventWhenItRecovers() throws Exception {
        JdbcNotificationOutbox outbox = new JdbcNotificationOutbox(OutboxDatabase.open(dbFile), clock);
        WebhookDispatcher dispatcher = new WebhookDispatcher(outbox, channels(), clock, NO_JITTER);
        long id = outbox.enqueue("ch1", revealed(clock.instant()));
        receiver.status.set(500);

        assertThat(dispatcher.runOnce()).isEqualTo(1);
        OutboxEntry failed = outbox.find(id).orElseThrow();
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.lastError()).isEqualTo("HTTP 500");
        assertThat(failed.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(5));
        assertThat(failed.pending()).isTrue();

        assertThat(dispatcher.runOnce()).as("not due yet").isZero();
        receiver.status.set(200);
        clock.advance(Duration.ofSeconds(5));
        assertThat(dispatcher.runOnce()).isEqualTo(1);

        OutboxEntry delivered = outbox.find(id).orElseThrow();
        assertThat(delivered.deliveredAt()).isEqualTo(clock.instant());
        assertThat(delivered.attempts()).isEqualTo(2);
        assertThat(receiver.received).hasSize(2);
        assertThat(receiver.received.get(1).header("X-Castellan-Delivery-Attempt")).isEqualTo("2");
        assertThat(receiver.received.get(1).body()).isEqualTo(receiver.received.get(0).body());
    }

    @Test
    void receiverThatIsDownGetsTheEventAfterItComesBack() throws Exception {
        JdbcNotificationOutbox outbox = new JdbcNotificationOutbox(OutboxDatabase.open(dbFile), clock);
        WebhookDispatcher dispatcher = new WebhookDispatcher(outbox, channels(), clock, NO_JITTER);
        long id = outbox.enqueue("ch1", revealed(clock.instant()));
        receiver.goDown();

        dispatcher.runOnce();
        assertThat(outbox.find(id).orElseThrow().lastError()).startsWith("request failed: ");
        clock.advance(Duration.ofSeconds(5));
        dispatcher.runOnce();
        OutboxEntry twice = outbox.find(id).orElseThrow();
        assertThat(twice.attempts()).isEqualTo(2);
        assertThat(twice.nextAttemptAt()).as("second backoff doubles").isEqualTo(clock.instant().plusSeconds(10));

        receiver.comeBack();
        clock.advance(Duration.ofSeconds(10));
        dispatcher.runOnce();
        assertThat(outbox.find(id).orElseThrow().deliveredAt()).isNotNull();
        assertThat(receiver.received).hasSize(1);
    }

    @Test
    void undeliveredEventSurvivesARestartAndIsDeliveredByTheNewDispatcher() throws Exception {
        // First "server run": the receiver is down, the attempt fails, the server stops.
        JdbcNotificationOutbox firstOutbox = new JdbcNotificationOutbox(OutboxDatabase.open(dbFile), clock);
        WebhookDispatcher first = new WebhookDispatcher(firstOutbox, channels(), clock, NO_JITTER);
        NotificationEvent event = revealed(clock.instant());
        long id = firstOutbox.enqueue("ch1", event);
        NotificationEvent neverTried = revealed(clock.instant());
        receiver.goDown();
        first.runOnce();
        first.stop();
        long neverTriedId = firstOutbox.enqueue("ch1", neverTried);

        // Second run: new data source, new outbox, new dispatcher on the same file.
        receiver.comeBack();
        clock.advance(Duration.ofSeconds(6));
        JdbcNotificationOutbox secondOutbox = new JdbcNotificationOutbox(OutboxDatabase.open(dbFile), clock);
        WebhookDispatcher second = new WebhookDispatcher(secondOutbox, channels(), clock, NO_JITTER);
        assertThat(secondOutbox.pendingCount()).isEqualTo(2);
        second.start();
        try {
            awaitDelivered(secondOutbox, id);
            awaitDelivered(secondOutbox, neverTriedId);
        } finally {
            second.stop();
        }
        assertThat(receiver.received).extracting(r -> r.header("X-Castellan-Event-Id"))
                .containsExactlyInAnyOrder(event.id(), neverTried.id());
    }

    @Test
    void deliveredEventIsNeverSentAgainEvenAfterARestart() throws Exception {
        JdbcNotificationOutbox outbox = new JdbcNotificationOutbox(OutboxDatabase.open(dbFile), clock);
        WebhookDispatcher dispatcher = new WebhookDispatcher(outbox, channels(), clock, NO_JITTER);
        outbox.enqueue("ch1", revealed(clock.instant()));
        assertThat(dispatcher.runOnce()).isEqualTo(1);
        clock.advance(Duration.ofDays(2));
        assertThat(dispatcher.runOnce()).isZero();

        JdbcNotificationOutbox reopened = new JdbcNotificationOutbox(OutboxDatabase.open(dbFile), clock);
        assertThat(new WebhookDispatcher(reopened, channels(), clock, NO_JITTER).runOnce()).isZero();
        assertThat(reopened.pendingCount()).isZero();
        assertThat(receiver.received).hasSize(1);
    }

    @Test
    void afterMaxAttemptsTheEntryIsMarkedDeadAndLeftAlone() throws Exception {
        JdbcNotificationOutbox outbox = new JdbcNotificationOutbox(OutboxDatabase.open(dbFile), clock);
        WebhookDispatcher dispatcher = new WebhookDispatcher(outbox, channels(), clock, NO_JITTER);
        long id = outbox.enqueue("ch1", revealed(clock.instant()));
        receiver.status.set(503);
        for (int i = 0; i < 4; i++) {
            assertThat(dispatcher.runOnce()).isEqualTo(1);
            clock.advance(Duration.ofHours(1));
        }
        OutboxEntry dead = outbox.find(id).orElseThrow();
        assertThat(dead.deadAt()).isNotNull();
        assertThat(dead.attempts()).isEqualTo(4);
        assertThat(dead.lastError()).isEqualTo("HTTP 503");
        receiver.status.set(200);
        clock.advance(Duration.ofDays(1));
        assertThat(dispatcher.runOnce()).isZero();
        assertThat(receiver.received).hasSize(4);
    }

    @Test
    void redirectsAreNotFollowedAndCountAsFailures() throws Exception {
        try (WebhookReceiver elsewhere = new WebhookReceiver()) {
            JdbcNotificationOutbox outbox = new JdbcNotificationOutbox(OutboxDatabase.open(dbFile), clock);
            long id = outbox.enqueue("ch1", revealed(clock.instant()));
            receiver.redirectTo(elsewhere.url().toString());
            new WebhookDispatcher(outbox, channels(), clock, NO_JITTER).runOnce();
            assertThat(outbox.find(id).orElseThrow().lastError()).isEqualTo("HTTP 302");
            assertThat(elsewhere.received).isEmpty();
        }
    }

    @Test
    void receiverThatDoesNotAnswerInTimeCountsAsAFailedAttempt() throws Exception {
        DispatcherSettings impatient = new DispatcherSettings(Duration.ofMillis(50), Duration.ofSeconds(2),
                Duration.ofMillis(300), 4, new RetryBackoff(Duration.ofSeconds(5), Duration.ofHours(1), 0.0), 50);
        JdbcNotificationOutbox outbox = new JdbcNotificationOutbox(OutboxDatabase.open(dbFile), clock);
        long id = outbox.enqueue("ch1", revealed(clock.instant()));
        receiver.delayMillis.set(3000);
        long started = System.nanoTime();
        new WebhookDispatcher(outbox, channels(), clock, impatient).runOnce();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
        OutboxEntry entry = outbox.find(id).orElseThrow();
        assertThat(entry.lastError()).isEqualTo("request failed: HttpTimeoutException");
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.pending()).isTrue();
    }

    @Test
    void entryForAChannelThatNoLongerExistsIsMarkedDead() {
        JdbcNotificationOutbox outbox = new JdbcNotificationOutbox(OutboxDatabase.open(dbFile), clock);
        long id = outbox.enqueue("deleted-channel", revealed(clock.instant()));
        new WebhookDispatcher(outbox, channels(), clock, NO_JITTER).runOnce();
        OutboxEntry dead = outbox.find(id).orElseThrow();
        assertThat(dead.deadAt()).isNotNull();
        assertThat(dead.lastError()).isEqualTo("channel deleted-channel no longer exists");
    }

    @Test
    void enqueueInTheCallersTransactionVanishesOnRollbackAndStaysOnCommit() throws Exception {
        DataSource db = OutboxDatabase.open(dbFile);
        JdbcNotificationOutbox outbox = new JdbcNotificationOutbox(db, clock);
        NotificationEvent rolledBack = revealed(clock.instant());
        NotificationEvent committed = revealed(clock.instant());
        try (Connection tx = db.getConnection()) {
            tx.setAutoCommit(false);
            outbox.enqueue(tx, "ch1", rolledBack);
            tx.rollback();
            outbox.enqueue(tx, "ch1", committed);
            tx.commit();
        }
        assertThat(outbox.findByEvent(rolledBack.id())).isEmpty();
        assertThat(outbox.findByEvent(committed.id())).hasSize(1);
        assertThat(outbox.pendingCount()).isEqualTo(1);
    }

    @Test
    void enqueueingTheSameEventTwiceForAChannelQueuesItOnce() {
        JdbcNotificationOutbox outbox = new JdbcNotificationOutbox(OutboxDatabase.open(dbFile), clock);
        NotificationEvent event = revealed(clock.instant());
        long first = outbox.enqueue("ch1", event);
        assertThat(outbox.enqueue("ch1", event)).isEqualTo(first);
        assertThat(outbox.enqueue("ch2", event)).isNotEqualTo(first);
        assertThat(outbox.findByEvent(event.id())).extracting(OutboxEntry::channelId).containsExactly("ch1", "ch2");
    }

    @Test
    void claimedEntryIsNotHandedToASecondDispatcherUntilTheLeaseRunsOut() {
        JdbcNotificationOutbox outbox = new JdbcNotificationOutbox(OutboxDatabase.open(dbFile), clock);
        JdbcNotificationOutbox other = new JdbcNotificationOutbox(OutboxDatabase.open(dbFile), clock);
        long id = outbox.enqueue("ch1", revealed(clock.instant()));
        Instant now = clock.instant();
        assertThat(outbox.claimNext(now, now.plusSeconds(30))).map(OutboxEntry::id).contains(id);
        assertThat(other.claimNext(now, now.plusSeconds(30))).isEmpty();
        assertThat(other.claimNext(now.plusSeconds(30), now.plusSeconds(60))).map(OutboxEntry::id).contains(id);
    }

    @Test
    void storedPayloadIsTheEventJsonAndHoldsNoSecretFields() throws Exception {
        JdbcNotificationOutbox outbox = new JdbcNotificationOutbox(OutboxDatabase.open(dbFile), clock);
        NotificationEvent event = revealed(clock.instant());
        long id = outbox.enqueue("ch1", event);
        String payload = outbox.find(id).orElseThrow().payload();
        assertThat(NotificationEvent.fromJson(payload)).isEqualTo(event);
        List<String> fields = new java.util.ArrayList<>();
        org.castellan.protocol.Json.mapper().readTree(payload).fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "type", "occurredAt", "deviceId", "deviceHostname", "principal",
                "reason", "ruleIds");
    }

    private static void awaitDelivered(NotificationOutbox outbox, long id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (outbox.find(id).orElseThrow().deliveredAt() != null) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("notification " + id + " not delivered; entry: " + outbox.find(id));
    }
}
