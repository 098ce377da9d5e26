package org.castellan.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.castellan.protocol.Secret;
import org.castellan.server.CastellanServer;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reveal under a rule with a webhook channel reaches a real local HTTP receiver, signed; when
 * the receiver is down the event waits in the durable outbox, across a server restart.
 */
class RevealNotificationTest {
    static final String SECRET = "webhook-signing-secret-0123456789";
    static final DispatcherSettings FAST = new DispatcherSettings(Duration.ofMillis(50), Duration.ofSeconds(2),
            Duration.ofSeconds(2), 50, new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(300), 0.0), 10);

    @TempDir
    Path dataDir;

    private record Setup(TestAgent agent, String userToken) {}

    private static Setup setUp(TestServer server, WebhookReceiver receiver) throws Exception {
        AdminApi admin = new AdminApi(server);
        TestAgent agent = new TestAgent(server).registered();
        AdminApi.escrowAndCommit(agent, "root", "Watched-password-1");
        String channel = admin.channel(receiver.url().toString(), SECRET);
        String user = admin.user("helpdesk", null);
        admin.rule(Map.of("principals", List.of("user:" + user), "targets", List.of("device:" + agent.deviceId),
                "permissions", List.of("password.read"), "channels", List.of(channel)));
        return new Setup(agent, admin.token(user));
    }

    @Test
    void revealUnderARuleWithAChannelSendsASignedEventToTheWebhook() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             TestServer server = TestServer.start(dataDir, TestServer.GENEROUS, Clock.systemUTC(), FAST)) {
            Setup setup = setUp(server, receiver);
            TestServer.Reply reveal = server.getWithToken("/api/v1/devices/" + setup.agent().deviceId
                    + "/password?reason=ticket%207", setup.userToken());
            assertThat(reveal.status()).isEqualTo(200);

            WebhookReceiver.Received received = receiver.awaitOne(Duration.ofSeconds(10));
            assertThat(WebhookSigner.verify(Secret.of(SECRET), received.header(WebhookSigner.HEADER), received.body(),
                    Instant.now(), Duration.ofMinutes(5))).isTrue();
            assertThat(WebhookSigner.verify(Secret.of("another-secret-0123456789"), received.header(WebhookSigner.HEADER),
                    received.body(), Instant.now(), Duration.ofMinutes(5))).isFalse();
            NotificationEvent event = NotificationEvent.fromJson(new String(received.body(), StandardCharsets.UTF_8));
            assertThat(event.type()).isEqualTo(NotificationEvent.PASSWORD_REVEALED);
            assertThat(event.deviceId()).isEqualTo(setup.agent().deviceId);
            assertThat(event.reason()).isEqualTo("ticket 7");
            assertThat(event.principal()).startsWith("user:");
            assertThat(new String(received.body(), StandardCharsets.UTF_8)).doesNotContain("Watched-password-1");
        }
    }

    @Test
    void eventQueuedWhileTheReceiverIsDownArrivesAfterARestartWhenItComesBack() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String adminToken;
            String deviceId;
            TestServer server = TestServer.start(dataDir, TestServer.GENEROUS, Clock.systemUTC(), FAST);
            try {
                adminToken = server.adminToken;
                Setup setup = setUp(server, receiver);
                deviceId = setup.agent().deviceId;
                receiver.goDown();
                assertThat(server.getWithToken("/api/v1/devices/" + deviceId + "/password", setup.userToken()).status())
                        .isEqualTo(200);
                Thread.sleep(300); // a delivery attempt or two fail while it is down
            } finally {
                server.close();
            }
            assertThat(receiver.received).isEmpty();

            receiver.comeBack();
            try (TestServer restarted = TestServer.attach(CastellanServer.start(
                    TestServer.config(dataDir, TestServer.GENEROUS), Clock.systemUTC(), FAST), dataDir, adminToken)) {
                WebhookReceiver.Received received = receiver.awaitOne(Duration.ofSeconds(10));
                NotificationEvent event = NotificationEvent.fromJson(new String(received.body(), StandardCharsets.UTF_8));
                assertThat(event.type()).isEqualTo(NotificationEvent.PASSWORD_REVEALED);
                assertThat(event.deviceId()).isEqualTo(deviceId);
                assertThat(WebhookSigner.verify(Secret.of(SECRET), received.header(WebhookSigner.HEADER), received.body(),
                        Instant.now(), Duration.ofMinutes(5))).isTrue();
            }
        }
    }

    @Test
    void refusedRevealUnderARuleWithAChannelSendsARevealDeniedEvent() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             TestServer server = TestServer.start(dataDir, TestServer.GENEROUS, Clock.systemUTC(), FAST)) {
            AdminApi admin = new AdminApi(server);
            TestAgent agent = new TestAgent(server).registered();
            AdminApi.escrowAndCommit(agent, "root", "Watched-password-2");
            String channel = admin.channel(receiver.url().toString(), SECRET);
            String user = admin.user("needs-reason", null);
            admin.rule(Map.of("principals", List.of("user:" + user), "targets", List.of("device:" + agent.deviceId),
                    "permissions", List.of("password.read"), "requireReason", true, "channels", List.of(channel)));
            TestServer.Reply refused = server.getWithToken("/api/v1/devices/" + agent.deviceId + "/password",
                    admin.token(user));
            assertThat(refused.error()).isEqualTo("reason-required");

            NotificationEvent event = NotificationEvent.fromJson(new String(
                    receiver.awaitOne(Duration.ofSeconds(10)).body(), StandardCharsets.UTF_8));
            assertThat(event.type()).isEqualTo(NotificationEvent.REVEAL_DENIED);
            assertThat(event.principal()).isEqualTo("user:" + user);
        }
    }
}
