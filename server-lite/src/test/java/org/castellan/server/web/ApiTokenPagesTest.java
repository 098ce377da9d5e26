package org.castellan.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.ConsoleClient;
import org.castellan.server.testing.TestClock;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's API tokens on the console ({@code /admin/users/{id}/tokens}), through the API's own
 * methods: a new token is shown once and works against the API, the list never shows it again, a
 * revoked token stops working; bad names and times, forged posts and another user's token id are
 * refused with a clear message and change nothing. Over real HTTPS without a browser.
 */
class ApiTokenPagesTest {
    private static final Pattern TOKEN = Pattern.compile("id=\"api-token\">([^<]+)<");
    @TempDir
    static Path dataDir;
    static final TestClock clock = TestClock.now();
    static TestServer server;
    static AdminApi api;
    static ConsoleClient admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir, TestServer.GENEROUS, clock, DispatcherSettings.defaults());
        api = new AdminApi(server);
        String name = "tok-admin-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(server.post("/api/v1/users", Map.of("name", name, "password", "Token-admin-" + name, "admin", true))
                .status()).isEqualTo(201);
        admin = new ConsoleClient(server);
        clock.advance(Duration.ofSeconds(31));
        admin.signIn(name, "Token-admin-" + name, null, clock.instant());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String user() throws Exception {
        return api.user("tok-" + UUID.randomUUID().toString().substring(0, 8), null);
    }

    @Test
    void aTokenIsShownOnceWorksAgainstTheApiAndStopsWhenRevoked() throws Exception {
        String kim = user();
        String base = "/admin/users/" + kim + "/tokens";
        assertThat(admin.get("/admin/users").body()).contains("href=\"" + base + "\"");
        assertThat(admin.get(base).body()).contains("No API tokens.");

        ConsoleClient.Page created = admin.post(base, Map.of("name", "backup script"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Matcher m = TOKEN.matcher(created.body());
        assertThat(m.find()).as("the token on the page").isTrue();
        String token = m.group(1);
        assertThat(created.body()).contains("it is shown this once");
        assertThat(server.getWithToken("/api/v1/devices", token).status()).as("the token works").isEqualTo(200);

        String list = admin.get(base).body();
        assertThat(list).contains("backup script").doesNotContain(token);
        String tokenId = server.get("/api/v1/users/" + kim + "/tokens").json().get(0).get("id").asText();
        assertThat(api.audit("action=" + AuditActions.TOKEN_CREATE)).anySatisfy(r ->
                assertThat(r.get("detail").asText()).contains(tokenId).contains("user:" + kim));

        ConsoleClient.Page revoked = admin.post(base + "/" + tokenId + "/revoke", Map.of());
        assertThat(revoked.status()).isEqualTo(303);
        assertThat(revoked.location()).isEqualTo(base + "?done=revoked");
        assertThat(admin.get(revoked.location()).body()).contains("Token revoked.").contains("revoked 20");
        assertThat(server.getWithToken("/api/v1/devices", token).status()).as("revoked").isEqualTo(401);
    }

    @Test
    void badInputForgedPostsAndAnotherUsersTokenChangeNothing() throws Exception {
        String lee = user();
        String other = user();
        String base = "/admin/users/" + lee + "/tokens";
        admin.get(base);
        ConsoleClient.Page control = admin.post(base, Map.of("name", "bad\u0007name"));
        assertThat(control.status()).isEqualTo(400);
        assertThat(control.body()).contains("field &#39;name&#39; must be 1-100 characters");
        ConsoleClient.Page past = admin.post(base, Map.of("name", "expired", "expiresAt", "2000-01-01T00:00"));
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.body()).contains("must be in the future");
        ConsoleClient.Page huge = admin.post(base, Map.of("name", "n".repeat(Forms.MAX_VALUE + 1)));
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.body()).contains("longer than " + Forms.MAX_VALUE);
        ConsoleClient.Page forged = admin.post(base, Map.of("csrf", "forged", "name", "forged"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("did not come from this site");
        assertThat(server.get("/api/v1/users/" + lee + "/tokens").json()).as("no token made").isEmpty();

        String othersToken = api.token(other);
        String othersId = server.get("/api/v1/users/" + other + "/tokens").json().get(0).get("id").asText();
        ConsoleClient.Page wrongUser = admin.post(base + "/" + othersId + "/revoke", Map.of());
        assertThat(wrongUser.status()).isEqualTo(404);
        assertThat(wrongUser.body()).contains("no token with that id");
        assertThat(server.getWithToken("/api/v1/devices", othersToken).status()).as("still works").isEqualTo(200);
        assertThat(admin.get("/admin/users/" + UUID.randomUUID() + "/tokens").status()).isEqualTo(404);
    }
}
