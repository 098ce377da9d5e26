package org.castellan.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
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
 * A lost second factor is reset from the users page, through the API's reset (the same audit
 * entry): the user's console sessions end and their next sign-in enrols a new TOTP seed. A post
 * without the CSRF token, or by a non-admin, changes nothing. Over real HTTPS without a browser.
 */
class SecondFactorResetPageTest {
    @TempDir
    static Path dataDir;
    static final TestClock clock = TestClock.now();
    static TestServer server;
    static AdminApi api;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir, TestServer.GENEROUS, clock, DispatcherSettings.defaults());
        api = new AdminApi(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Person(String id, String name, String password) {}

    static Person person(boolean admin) throws Exception {
        String name = (admin ? "adm-" : "usr-") + UUID.randomUUID().toString().substring(0, 8);
        String password = "Reset-page-pass-" + name;
        TestServer.Reply created = server.post("/api/v1/users", Map.of("name", name, "password", password, "admin", admin));
        assertThat(created.status()).isEqualTo(201);
        return new Person(created.json().get("id").asText(), name, password);
    }

    static ConsoleClient signedIn(Person p) throws Exception {
        ConsoleClient client = new ConsoleClient(server);
        clock.advance(Duration.ofSeconds(31));
        client.signIn(p.name(), p.password(), null, clock.instant());
        return client;
    }

    @Test
    void anAdminResetsALostSecondFactorOnTheUsersPage() throws Exception {
        Person boss = person(true);
        Person kim = person(false);
        ConsoleClient kims = signedIn(kim);
        ConsoleClient admin = signedIn(boss);
        String page = admin.get("/admin/users").body();
        assertThat(page).contains("id=\"reset-totp-" + kim.name() + "\"")
                .doesNotContain("id=\"reset-totp-" + boss.name() + "\"");

        ConsoleClient.Page reset = admin.post("/admin/users/" + kim.id() + "/reset-totp", Map.of());
        assertThat(reset.status()).as(reset.body()).isEqualTo(303);
        assertThat(reset.location()).isEqualTo("/admin/users?done=totp-reset");
        assertThat(admin.get(reset.location()).body()).contains("Second factor reset");
        assertThat(kims.get("/").status()).as("signed out by the reset").isEqualTo(303);
        assertThat(api.audit("action=" + AuditActions.USER_TOTP_RESET)).anySatisfy(r -> {
            assertThat(r.get("principal").asText()).isEqualTo("user:" + boss.id());
            assertThat(r.get("detail").asText()).contains("user:" + kim.id()).contains("TOTP forgotten");
        });

        ConsoleClient again = new ConsoleClient(server);
        clock.advance(Duration.ofSeconds(31));
        again.get("/sign-in");
        again.post("/sign-in", Map.of("name", kim.name(), "password", kim.password()));
        assertThat(again.get("/sign-in/second-factor").body()).as("enrols anew")
                .contains("otpauth://totp/Castellan:" + kim.name());
    }

    @Test
    void aResetWithoutTheCsrfTokenOrByANonAdminChangesNothing() throws Exception {
        Person boss = person(true);
        Person lee = person(false);
        ConsoleClient lees = signedIn(lee);
        ConsoleClient admin = signedIn(boss);

        ConsoleClient.Page forged = admin.post("/admin/users/" + lee.id() + "/reset-totp", Map.of("csrf", "forged"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("did not come from this site");
        ConsoleClient.Page byUser = lees.post("/admin/users/" + boss.id() + "/reset-totp", Map.of());
        assertThat(byUser.status()).isEqualTo(403);
        ConsoleClient.Page unknown = admin.post("/admin/users/" + UUID.randomUUID() + "/reset-totp", Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("no user with that id");

        assertThat(lees.get("/").status()).as("still signed in").isEqualTo(200);
        assertThat(admin.get("/").status()).isEqualTo(200);
        assertThat(api.audit("action=" + AuditActions.USER_TOTP_RESET)).as("nothing reset")
                .noneSatisfy(r -> assertThat(r.get("detail").asText()).contains("user:" + lee.id()))
                .noneSatisfy(r -> assertThat(r.get("detail").asText()).contains("user:" + boss.id()));
    }
}
