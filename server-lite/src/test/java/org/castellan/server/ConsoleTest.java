package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.recovery.RecoveryKeyClient;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.ConsoleClient;
import org.castellan.server.testing.ConsoleClient.Page;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestClock;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console over real HTTPS, as a browser speaks to it (cookies, forms, redirects): the
 * sign-in steps, sessions and their expiry, CSRF, search and reveal through the API's guard.
 */
class ConsoleTest {
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

    @BeforeEach
    void nextTotpStep() {
        // Each test's codes are of a step of their own (a code is good once).
        clock.advance(Duration.ofSeconds(31));
    }

    record Helper(String userId, String name, String password) {}

    private static Helper helpDesk() throws Exception {
        String name = "hd-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Correct-horse-" + name;
        return new Helper(admin.user(name, password), name, password);
    }

    private static TestAgent deviceWithPassword(String password) throws Exception {
        TestAgent agent = new TestAgent(server);
        agent.clock = clock;
        agent.registered();
        AdminApi.escrowAndCommit(agent, "root", password);
        return agent;
    }

    private static void grant(Helper h, String deviceId, boolean requireReason, String... permissions) throws Exception {
        admin.rule(Map.of("principals", List.of("user:" + h.userId()), "targets", List.of("device:" + deviceId),
                "permissions", List.of(permissions), "requireReason", requireReason));
    }

    @Test
    void signInEnrolsTotpThenSearchAndRevealWithAReasonIsAudited() throws Exception {
        Helper ann = helpDesk();
        TestAgent agent = deviceWithPassword("Console-secret-1!");
        grant(ann, agent.deviceId, true, "password.read");
        ConsoleClient browser = new ConsoleClient(server);

        Page form = browser.get("/sign-in");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.headers().get("Content-Security-Policy")).contains("default-src 'self'")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
        Page password = browser.post("/sign-in", Map.of("name", ann.name(), "password", ann.password()));
        assertThat(password.status()).isEqualTo(303);
        assertThat(password.location()).isEqualTo("/sign-in/second-factor");
        String pendingCookie = browser.cookies.get("__Host-castellan-session");
        assertThat(password.setCookies()).anySatisfy(c -> assertThat(c).startsWith("__Host-castellan-session=")
                .contains("; Path=/").contains("; Secure").contains("; HttpOnly").contains("; SameSite=Strict"));
        // Halfway signed in is not signed in.
        assertThat(browser.get("/").status()).isEqualTo(303);

        Page enrol = browser.get("/sign-in/second-factor");
        assertThat(enrol.body()).contains("otpauth://totp/Castellan:" + ann.name());
        byte[] seed = ConsoleClient.seedFrom(enrol);
        Page done = browser.post("/sign-in/second-factor", Map.of("code", ConsoleClient.code(seed, clock.instant())));
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        assertThat(browser.cookies.get("__Host-castellan-session")).as("the session id rotates at sign-in")
                .isNotNull().isNotEqualTo(pendingCookie);

        Page search = browser.get("/?q=" + agent.hostname.substring(0, 6).toUpperCase());
        assertThat(search.status()).isEqualTo(200);
        assertThat(search.body()).contains(agent.hostname).contains("/devices/" + agent.deviceId);
        Page device = browser.get("/devices/" + agent.deviceId);
        assertThat(device.body()).contains("Show password").contains("Password age");

        Page noReason = browser.post("/devices/" + agent.deviceId + "/password", Map.of("reason", ""));
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.body()).contains("requires a reason").doesNotContain("Console-secret-1!");

        Page reveal = browser.post("/devices/" + agent.deviceId + "/password", Map.of("reason", "ticket 4711"));
        assertThat(reveal.status()).as(reveal.body()).isEqualTo(200);
        assertThat(reveal.body()).contains("Console-secret-1!")
                .contains("capital CHARLIE · oscar · november").contains("one · exclamation mark");
        List<JsonNode> rows = admin.audit("principal=user:" + ann.userId() + "&action=password.reveal");
        assertThat(rows).anySatisfy(row -> {
            assertThat(row.get("outcome").asText()).isEqualTo("granted");
            assertThat(row.get("reason").asText()).isEqualTo("ticket 4711");
        });
        assertThat(rows).anySatisfy(row -> assertThat(row.get("outcome").asText()).isEqualTo("denied"));
    }

    @Test
    void recoveryKeysAreRevealedByDeviceAndByKeyIdWithTheirReasonsOnRecord() throws Exception {
        Helper eve = helpDesk();
        TestAgent agent = deviceWithPassword("Console-secret-9!");
        RecoveryKeyClient.Key os = new RecoveryKeyClient.Key("\\\\?\\Volume{os}\\", "C:",
                "{3C3C3C3C-0000-4000-8000-000000000001}", RecoveryKeyClient.numericalPassword(41));
        RecoveryKeyClient.Key data = new RecoveryKeyClient.Key("\\\\?\\Volume{data}\\", "D:",
                "{3D3D3D3D-0000-4000-8000-000000000002}", RecoveryKeyClient.numericalPassword(42));
        TestServer.Reply escrowed = new RecoveryKeyClient(agent).escrow(List.of(), os, data);
        assertThat(escrowed.status()).as(escrowed.body()).isEqualTo(200);
        grant(eve, agent.deviceId, false, "recovery-key.read");
        ConsoleClient browser = new ConsoleClient(server);
        browser.signIn(eve.name(), eve.password(), null, clock.instant());

        browser.get("/devices/" + agent.deviceId);
        Page byDevice = browser.post("/devices/" + agent.deviceId + "/recovery-keys", Map.of("reason", "ticket 51"));
        assertThat(byDevice.status()).as(byDevice.body()).isEqualTo(200);
        assertThat(byDevice.body()).contains("Recovery keys of " + agent.hostname)
                .contains(os.recoveryKey()).contains(data.recoveryKey()).contains(os.protectorId());
        browser.get("/recovery-keys");
        Page byKeyId = browser.post("/recovery-keys", Map.of("keyId", "3d3d3d3d", "reason", "at the screen"));
        assertThat(byKeyId.status()).as(byKeyId.body()).isEqualTo(200);
        assertThat(byKeyId.body()).contains(agent.hostname).contains(data.recoveryKey()).doesNotContain(os.recoveryKey());

        assertThat(admin.audit("principal=user:" + eve.userId() + "&action=recovery-key.reveal"))
                .extracting(row -> row.get("outcome").asText() + "/" + row.get("reason").asText())
                .containsExactlyInAnyOrder("granted/ticket 51", "granted/at the screen");
    }

    @Test
    void aWrongOrReusedTotpCodeIsRefusedAndTheSessionStaysHalfway() throws Exception {
        Helper bob = helpDesk();
        ConsoleClient first = new ConsoleClient(server);
        byte[] seed = first.signIn(bob.name(), bob.password(), null, clock.instant());
        String used = ConsoleClient.code(seed, clock.instant());

        ConsoleClient second = new ConsoleClient(server);
        second.get("/sign-in");
        second.post("/sign-in", Map.of("name", bob.name(), "password", bob.password()));
        Page codeForm = second.get("/sign-in/second-factor");
        assertThat(codeForm.body()).as("an enrolled user is not shown a new secret").doesNotContain("totp-secret");
        String wrong = used.equals("000000") ? "111111" : "000000";
        Page refused = second.post("/sign-in/second-factor", Map.of("code", wrong));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("Wrong code");
        Page replay = second.post("/sign-in/second-factor", Map.of("code", used));
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.body()).contains("already used");
        assertThat(second.get("/").status()).as("still not signed in").isEqualTo(303);

        clock.advance(Duration.ofSeconds(30));
        Page next = second.post("/sign-in/second-factor", Map.of("code", ConsoleClient.code(seed, clock.instant())));
        assertThat(next.status()).isEqualTo(303);
        assertThat(second.get("/").status()).isEqualTo(200);
        assertThat(admin.audit("principal=user:" + bob.userId() + "&action=session.create"))
                .anySatisfy(row -> assertThat(row.get("detail").asText()).contains("wrong TOTP code"))
                .anySatisfy(row -> assertThat(row.get("detail").asText()).contains("TOTP code already used"));
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        Helper cat = helpDesk();
        TestAgent agent = deviceWithPassword("Csrf-secret-2");
        grant(cat, agent.deviceId, false, "password.read", "device.rotate");
        ConsoleClient browser = new ConsoleClient(server);
        browser.signIn(cat.name(), cat.password(), null, clock.instant());

        Page missing = browser.post("/devices/" + agent.deviceId + "/password", Map.of("csrf", ""));
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.body()).contains("did not come from this site").doesNotContain("Csrf-secret-2");
        Page forged = browser.post("/devices/" + agent.deviceId + "/rotate", Map.of("csrf", "A".repeat(43)));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(admin.audit("principal=user:" + cat.userId() + "&action=password.reveal")).isEmpty();
        assertThat(server.get("/api/v1/devices/" + agent.deviceId).json().get("rotateRequestedAt").isNull()).isTrue();

        // Another user's token does not fit this session either.
        ConsoleClient other = new ConsoleClient(server);
        Helper dan = helpDesk();
        other.signIn(dan.name(), dan.password(), null, clock.instant());
        Page crossed = browser.post("/devices/" + agent.deviceId + "/rotate", Map.of("csrf", other.csrf));
        assertThat(crossed.status()).isEqualTo(403);

        Page rotate = browser.post("/devices/" + agent.deviceId + "/rotate", Map.of());
        assertThat(rotate.status()).isEqualTo(303);
        assertThat(server.get("/api/v1/devices/" + agent.deviceId).json().get("rotateRequestedAt").isNull()).isFalse();

        ConsoleClient stranger = new ConsoleClient(server);
        Page signInWithoutToken = stranger.post("/sign-in", Map.of("name", cat.name(), "password", cat.password()));
        assertThat(signInWithoutToken.status()).as("login CSRF").isEqualTo(403);
    }

    @Test
    void sessionsEndWhenIdleAtTheirAbsoluteLimitAndOnSignOut() throws Exception {
        Helper eve = helpDesk();
        ConsoleClient browser = new ConsoleClient(server);
        byte[] seed = browser.signIn(eve.name(), eve.password(), null, clock.instant());

        clock.advance(Duration.ofMinutes(14));
        assertThat(browser.get("/").status()).as("used within the idle time").isEqualTo(200);
        clock.advance(Duration.ofMinutes(16));
        Page idle = browser.get("/");
        assertThat(idle.status()).isEqualTo(303);
        assertThat(idle.location()).isEqualTo("/sign-in");

        browser.signIn(eve.name(), eve.password(), seed, clock.instant());
        for (int i = 0; i < 35; i++) {
            clock.advance(Duration.ofMinutes(14));
            browser.get("/");
        }
        assertThat(browser.get("/").status()).as("8 hours after sign-in, however busy").isEqualTo(303);

        clock.advance(Duration.ofSeconds(31));
        browser.signIn(eve.name(), eve.password(), seed, clock.instant());
        String cookie = browser.cookies.get("__Host-castellan-session");
        Page out = browser.post("/sign-out", Map.of());
        assertThat(out.status()).isEqualTo(303);
        assertThat(out.setCookies()).anySatisfy(c -> assertThat(c).contains("Max-Age=0"));
        ConsoleClient replayed = new ConsoleClient(server);
        replayed.cookies.put("__Host-castellan-session", cookie);
        assertThat(replayed.get("/").status()).as("the old cookie is dead on the server").isEqualTo(303);
        assertThat(admin.audit("principal=user:" + eve.userId() + "&action=session.end")).hasSize(1);
    }

    @Test
    void aUserWithoutRightsSeesNoDeviceAndCannotRevealOne() throws Exception {
        Helper fay = helpDesk();
        TestAgent agent = deviceWithPassword("Hidden-secret-3");
        ConsoleClient browser = new ConsoleClient(server);
        browser.signIn(fay.name(), fay.password(), null, clock.instant());
        assertThat(browser.get("/?q=" + agent.hostname).body()).contains("No machine").doesNotContain(agent.deviceId);
        assertThat(browser.get("/devices/" + agent.deviceId).status()).isEqualTo(403);
        Page reveal = browser.post("/devices/" + agent.deviceId + "/password", Map.of("reason", "curious"));
        assertThat(reveal.status()).isEqualTo(403);
        assertThat(reveal.body()).doesNotContain("Hidden-secret-3");
        assertThat(admin.audit("principal=user:" + fay.userId() + "&action=password.reveal"))
                .singleElement().satisfies(row -> assertThat(row.get("outcome").asText()).isEqualTo("denied"));
    }

    @Test
    void searchPagesByKeysetAndBadInputGetsAClearMessage() throws Exception {
        Helper gus = helpDesk();
        String prefix = "pg" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 27; i++) {
            TestAgent agent = new TestAgent(server);
            agent.hostname = prefix + "-" + String.format("%02d", i);
            agent.clock = clock;
            agent.registered();
            grant(gus, agent.deviceId, false, "password.read");
        }
        ConsoleClient browser = new ConsoleClient(server);
        browser.signIn(gus.name(), gus.password(), null, clock.instant());
        Page first = browser.get("/?q=" + prefix);
        assertThat(first.body()).contains(prefix + "-00").contains(prefix + "-24").doesNotContain(prefix + "-25");
        java.util.regex.Matcher next = java.util.regex.Pattern.compile("id=\"next-page\" href=\"([^\"]+)\"")
                .matcher(first.body());
        assertThat(next.find()).isTrue();
        Page second = browser.get(next.group(1).replace("&amp;", "&"));
        assertThat(second.body()).contains(prefix + "-25").contains(prefix + "-26").doesNotContain(prefix + "-24")
                .doesNotContain("next-page");

        Page tooLong = browser.get("/?q=" + "a".repeat(2_000));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body()).contains("start of a host name");
        Page odd = browser.get("/?q=%3Cscript%3E");
        assertThat(odd.status()).isEqualTo(400);
        assertThat(odd.body()).doesNotContain("<script>");
        // Longer than Jetty takes in a request line (the field itself stops at 64 characters): Jetty
        // answers before any route with its one JSON line, and nothing of the query is echoed.
        // Last: Jetty closes that connection.
        Page huge = browser.get("/?q=" + "a".repeat(10_000));
        assertThat(huge.status()).isEqualTo(414);
        assertThat(huge.body()).contains("the request URI is too long").doesNotContain("aaaaaaaaaa");
    }

    @Test
    void aReasonWithControlCharactersIsRefusedAndNothingIsRevealed() throws Exception {
        Helper hal = helpDesk();
        TestAgent agent = deviceWithPassword("Control-secret-4");
        grant(hal, agent.deviceId, false, "password.read");
        ConsoleClient browser = new ConsoleClient(server);
        browser.signIn(hal.name(), hal.password(), null, clock.instant());
        Page bad = browser.post("/devices/" + agent.deviceId + "/password", Map.of("reason", "line\u0007bell"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).doesNotContain("Control-secret-4");
        assertThat(admin.audit("principal=user:" + hal.userId() + "&action=password.reveal")
                .stream().filter(r -> r.get("outcome").asText().equals("granted"))).isEmpty();
    }

    @Test
    void repeatedWrongPasswordsLockTheNameOutForTheApiToo() throws Exception {
        Helper ivy = helpDesk();
        ConsoleClient browser = new ConsoleClient(server);
        browser.get("/sign-in");
        for (int i = 0; i < 5; i++) {
            Page wrong = browser.post("/sign-in", Map.of("name", ivy.name(), "password", "wrong-" + i));
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.body()).contains("wrong name or password");
        }
        Page locked = browser.post("/sign-in", Map.of("name", ivy.name(), "password", ivy.password()));
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.headers().get("Retry-After")).isNotNull();
        assertThat(server.sendWithToken("POST", "/api/v1/sessions",
                Map.of("name", ivy.name(), "password", ivy.password()), null).status()).isEqualTo(429);
        clock.advance(Duration.ofMinutes(16));
    }

    @Test
    void aRuleWantingARecentSecondFactorRefusesApiTokensAndStaleSessionsUntilAStepUp() throws Exception {
        Helper jo = helpDesk();
        TestAgent agent = deviceWithPassword("Step-up-secret-7");
        admin.rule(Map.of("principals", List.of("user:" + jo.userId()), "targets", List.of("device:" + agent.deviceId),
                "permissions", List.of("password.read"), "requireSecondFactorMinutes", 10));
        assertThat(server.get("/api/v1/rules").json().toString()).contains("\"requireSecondFactorMinutes\":10");

        // An API token (the CLI) carries no second factor: a refusal that says where to go instead.
        String token = admin.token(jo.userId());
        TestServer.Reply api = server.getWithToken("/api/v1/devices/" + agent.deviceId + "/password?reason=t1", token);
        assertThat(api.status()).isEqualTo(403);
        assertThat(api.error()).isEqualTo("second-factor-required");
        assertThat(api.json().get("message").asText()).contains("web console").contains("10 minutes");
        assertThat(api.body()).doesNotContain("Step-up-secret-7");

        // Signed in with TOTP just now: allowed.
        ConsoleClient browser = new ConsoleClient(server);
        byte[] seed = browser.signIn(jo.name(), jo.password(), null, clock.instant());
        Page fresh = browser.post("/devices/" + agent.deviceId + "/password", Map.of("reason", "t2"));
        assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
        assertThat(fresh.body()).contains("Step-up-secret-7");

        // Eleven minutes on: the step-up page, which repeats the reveal with the same reason.
        clock.advance(Duration.ofMinutes(11));
        Page stale = browser.post("/devices/" + agent.deviceId + "/password", Map.of("reason", "t3"));
        assertThat(stale.status()).isEqualTo(403);
        assertThat(stale.body()).contains("Confirm it is you").contains("id=\"step-up-form\"")
                .contains("name=\"then\" value=\"/devices/" + agent.deviceId + "/password\"")
                .contains("name=\"reason\" value=\"t3\"").doesNotContain("Step-up-secret-7");
        Map<String, String> stepUp = Map.of("then", "/devices/" + agent.deviceId + "/password", "reason", "t3",
                "code", ConsoleClient.code(seed, clock.instant()).equals("000000") ? "111111" : "000000");
        Page wrong = browser.post("/step-up", stepUp);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong code");
        Page offSite = browser.post("/step-up", Map.of("then", "https://evil.example/", "code",
                ConsoleClient.code(seed, clock.instant())));
        assertThat(offSite.status()).as("only the console's own reveal paths").isEqualTo(400);
        Page confirmed = browser.post("/step-up", Map.of("then", "/devices/" + agent.deviceId + "/password",
                "reason", "t3", "code", ConsoleClient.code(seed, clock.instant())));
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(307);
        assertThat(confirmed.location()).isEqualTo("/devices/" + agent.deviceId + "/password");
        Page repeated = browser.post(confirmed.location(), Map.of("reason", "t3"));
        assertThat(repeated.status()).as(repeated.body()).isEqualTo(200);
        assertThat(repeated.body()).contains("Step-up-secret-7");

        List<JsonNode> reveals = admin.audit("principal=user:" + jo.userId() + "&action=password.reveal");
        assertThat(reveals).filteredOn(r -> r.get("outcome").asText().equals("denied"))
                .extracting(r -> r.get("detail").asText())
                .anySatisfy(d -> assertThat(d).contains("second factor required (API token)"))
                .anySatisfy(d -> assertThat(d).contains("over 10 min ago"));
        assertThat(reveals).filteredOn(r -> r.get("outcome").asText().equals("granted")).hasSize(2);
        assertThat(admin.audit("principal=user:" + jo.userId() + "&action=session.step-up"))
                .extracting(r -> r.get("outcome").asText()).containsExactlyInAnyOrder("ok", "denied");
    }

    @Test
    void anAdminResetsALostSecondFactorAndTheUsersSessionsEnd() throws Exception {
        Helper kim = helpDesk();
        ConsoleClient browser = new ConsoleClient(server);
        browser.signIn(kim.name(), kim.password(), null, clock.instant());
        assertThat(browser.get("/").status()).isEqualTo(200);

        TestServer.Reply reset = server.post("/api/v1/users/" + kim.userId() + "/reset-totp", Map.of());
        assertThat(reset.status()).as(reset.body()).isEqualTo(200);
        assertThat(reset.json().get("totpReset").asBoolean()).isTrue();
        assertThat(reset.json().get("sessionsEnded").asInt()).isEqualTo(1);
        assertThat(browser.get("/").status()).as("signed out by the reset").isEqualTo(303);
        assertThat(admin.audit("action=user.totp-reset")).anySatisfy(r ->
                assertThat(r.get("detail").asText()).contains("user:" + kim.userId()).contains("TOTP forgotten"));
        assertThat(server.sendWithToken("POST", "/api/v1/users/" + kim.userId() + "/reset-totp", Map.of(),
                admin.token(kim.userId())).status()).as("admins only").isEqualTo(403);

        clock.advance(Duration.ofSeconds(31));
        browser.get("/sign-in");
        browser.post("/sign-in", Map.of("name", kim.name(), "password", kim.password()));
        assertThat(browser.get("/sign-in/second-factor").body()).as("enrols anew")
                .contains("otpauth://totp/Castellan:" + kim.name());
    }
}
