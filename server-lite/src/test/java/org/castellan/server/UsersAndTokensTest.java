package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.TestClock;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which tokens authenticate, what is recorded about their use, and the login lockout. */
class UsersAndTokensTest {
    @TempDir
    static Path dataDir;
    static TestClock clock = TestClock.now();
    static TestServer server;
    static AdminApi admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir, TestServer.GENEROUS, clock, DispatcherSettings.defaults());
        admin = new AdminApi(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int whoAmIStatus(String token) throws Exception {
        // Listing one's own tokens needs only a valid token.
        return server.getWithToken("/api/v1/devices", token).status();
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        String user = admin.user("expiring", null);
        TestServer.Reply created = server.post("/api/v1/users/" + user + "/tokens",
                Map.of("name", "short", "expiresAt", clock.instant().plus(Duration.ofMinutes(5)).toString()));
        String token = created.json().get("token").asText();
        assertThat(token).startsWith("cat_").hasSizeGreaterThanOrEqualTo(4 + 43);
        assertThat(whoAmIStatus(token)).isEqualTo(200);
        clock.advance(Duration.ofMinutes(6));
        assertThat(whoAmIStatus(token)).isEqualTo(401);
        TestServer.Reply refused = server.getWithToken("/api/v1/devices", token);
        assertThat(refused.error()).as("says which").isEqualTo("token-expired");
        assertThat(refused.json().get("message").asText()).as("says which and how to get a new one")
                .contains("'short'").contains("expired at").contains("castellan tokens create");
    }

    @Test
    void missingUnknownAndMalformedTokensSayHowToGetOne() throws Exception {
        TestServer.Reply none = server.getWithToken("/api/v1/devices", null);
        assertThat(none.error()).isEqualTo("unauthorized");
        assertThat(none.json().get("message").asText()).contains("--token-file").contains("CASTELLAN_TOKEN");
        TestServer.Reply unknown = server.getWithToken("/api/v1/devices", "cat_" + "x".repeat(43));
        assertThat(unknown.json().get("message").asText()).contains("unknown to this server").contains("tokens create");
        TestServer.Reply notOurs = server.getWithToken("/api/v1/devices", "ghp_something");
        assertThat(notOurs.json().get("message").asText()).contains("not a Castellan API token").contains("cat_");
    }

    @Test
    void revokedTokenIsRefusedAndAUserMayRevokeOnlyTheirOwn() throws Exception {
        String user = admin.user("revoker", null);
        String token = admin.token(user);
        String tokenId = server.get("/api/v1/users/" + user + "/tokens").json().get(0).get("id").asText();
        String stranger = admin.token(admin.user("stranger", null));
        assertThat(server.sendWithToken("POST", "/api/v1/tokens/" + tokenId + "/revoke", "{}", stranger).status())
                .isEqualTo(403);
        assertThat(whoAmIStatus(token)).isEqualTo(200);

        assertThat(server.sendWithToken("POST", "/api/v1/tokens/" + tokenId + "/revoke", "{}", token).status())
                .isEqualTo(200);
        assertThat(whoAmIStatus(token)).isEqualTo(401);
        TestServer.Reply refused = server.getWithToken("/api/v1/devices", token);
        assertThat(refused.error()).as("says which").isEqualTo("token-revoked");
        assertThat(refused.json().get("message").asText()).contains("was revoked at").contains("castellan tokens create");
        assertThat(admin.audit("action=token.revoke&principal=user:" + user)).hasSize(1);
    }

    @Test
    void disabledUsersTokensStopWorkingUntilReEnabled() throws Exception {
        String user = admin.user("leaver", null);
        String token = admin.token(user);
        assertThat(whoAmIStatus(token)).isEqualTo(200);
        assertThat(server.post("/api/v1/users/" + user + "/disable", "{}").status()).isEqualTo(200);
        assertThat(whoAmIStatus(token)).isEqualTo(401);
        TestServer.Reply refused = server.getWithToken("/api/v1/devices", token);
        assertThat(refused.error()).isEqualTo("user-disabled");
        assertThat(refused.json().get("message").asText()).contains("castellan users enable");
        assertThat(server.post("/api/v1/users/" + user + "/enable", "{}").status()).isEqualTo(200);
        assertThat(whoAmIStatus(token)).isEqualTo(200);
    }

    @Test
    void usingATokenRecordsItsLastUse() throws Exception {
        String user = admin.user("tracked", null);
        String token = admin.token(user);
        String path = "/api/v1/users/" + user + "/tokens";
        assertThat(server.get(path).json().get(0).get("lastUsedAt").isNull()).isTrue();
        clock.advance(Duration.ofSeconds(30));
        whoAmIStatus(token);
        TestServer.Reply own = server.getWithToken(path, token);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get(0).get("lastUsedAt").asText()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        assertThat(own.body()).doesNotContain(token);
    }

    @Test
    void fifthFailedLoginLocksTheNameAndEvenTheRightPasswordThenGets429() throws Exception {
        admin.user("alice", "Correct-horse-battery");
        Map<String, String> wrong = Map.of("name", "alice", "password", "wrong-password-123");
        for (int i = 0; i < 5; i++) {
            assertThat(server.sendWithToken("POST", "/api/v1/sessions", wrong, null).status()).isEqualTo(401);
        }
        TestServer.Reply locked = server.sendWithToken("POST", "/api/v1/sessions",
                Map.of("name", "alice", "password", "Correct-horse-battery"), null);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.error()).isEqualTo("locked-out");
        assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(1L, 15L * 60);
        assertThat(admin.audit("action=session.create&outcome=denied")).hasSize(5);
        assertThat(admin.audit("action=session.create&outcome=refused")).hasSize(1);

        clock.advance(Duration.ofMinutes(16));
        TestServer.Reply session = server.sendWithToken("POST", "/api/v1/sessions",
                Map.of("name", "alice", "password", "Correct-horse-battery"), null);
        assertThat(session.status()).isEqualTo(201);
        assertThat(whoAmIStatus(session.json().get("token").asText())).isEqualTo(200);
    }

    @Test
    void userNamesAndPasswordsAreValidatedAndNeverEchoed() throws Exception {
        TestServer.Reply shortPassword = server.post("/api/v1/users", Map.of("name", "bob", "password", "short"));
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.error()).isEqualTo("invalid-password");
        assertThat(shortPassword.body()).doesNotContain("short\"");
        assertThat(server.post("/api/v1/users", Map.of("name", "bad name!")).error()).isEqualTo("invalid-name");
    }
}
