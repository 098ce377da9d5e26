package org.castellan.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.castellan.server.ConsoleSettings;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.sso.OidcSettings;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.ConsoleClient;
import org.castellan.server.testing.ConsoleClient.Page;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Console single sign-on end to end against a real OpenID Connect provider run by the test
 * ({@code mock-oauth2-server}: discovery, authorization with PKCE, token endpoint, RS256-signed ID
 * tokens, published keys): the group claim puts the user in a Castellan group whose rule applies;
 * an expired token, a wrong nonce, a replayed state or another browser's state are refused and
 * create nothing. (This provider always issues the ID token to the client that redeems the code,
 * so a wrong audience cannot be provoked through it; Nimbus's validator checks it all the same.)
 */
class SingleSignOnTest {
    static final String ISSUER_ID = "corp";
    static final String CLIENT = "castellan-console";
    @TempDir
    static Path dataDir;
    static MockOAuth2Server idp;
    static TestServer server;
    static AdminApi admin;
    static final OkHttpClient plain = new OkHttpClient.Builder().followRedirects(false).build();

    @BeforeAll
    static void start() throws Exception {
        idp = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(), Set.of(),
                new NettyWrapper()));
        idp.start(0);
        URI issuer = URI.create(idp.issuerUrl(ISSUER_ID).toString());
        server = TestServer.start(dataDir, TestServer.GENEROUS, java.time.Clock.systemUTC(), DispatcherSettings.defaults(),
                ConsoleSettings.defaults().withOidc(new OidcSettings(issuer, CLIENT, "client-secret-1", "groups")));
        admin = new AdminApi(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (idp != null) {
            idp.shutdown();
        }
    }

    private static void nextToken(String subject, List<String> audience, Map<String, Object> claims, long expirySeconds) {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", audience, claims, expirySeconds));
    }

    /** The console's redirect to the provider, the provider's redirect back: the callback path with code and state. */
    private static String throughTheProvider(ConsoleClient browser, java.util.function.UnaryOperator<String> tamper)
            throws Exception {
        Page start = browser.get("/sign-in/sso");
        assertThat(start.status()).isEqualTo(303);
        String authorize = tamper.apply(start.location());
        assertThat(authorize).contains("code_challenge_method=S256").contains("nonce=").contains("state=");
        try (Response r = plain.newCall(new Request.Builder().url(authorize).get().build()).execute()) {
            assertThat(r.code()).as("provider redirects back").isEqualTo(302);
            URI back = URI.create(r.header("Location"));
            assertThat(back.getPath()).isEqualTo("/sign-in/sso/callback");
            return back.getRawPath() + "?" + back.getRawQuery();
        }
    }

    private static List<String> userNames() throws Exception {
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode u : server.get("/api/v1/users").json()) {
            names.add(u.get("name").asText());
        }
        return names;
    }

    @Test
    void theGroupClaimPutsTheUserInTheGroupWhoseRuleLetsItReveal() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        AdminApi.escrowAndCommit(agent, "root", "Sso-secret-1");
        String group = admin.userGroup("help-desk-" + UUID.randomUUID().toString().substring(0, 6));
        String groupName = server.get("/api/v1/user-groups/" + group).json().get("name").asText();
        admin.rule(Map.of("principals", List.of("user-group:" + group), "targets", List.of("device:" + agent.deviceId),
                "permissions", List.of("password.read")));

        nextToken("olga-sub-1", List.of(CLIENT), Map.of("preferred_username", "olga",
                "groups", List.of(groupName, "not-a-castellan-group")), 3600);
        ConsoleClient browser = new ConsoleClient(server);
        String callback = throughTheProvider(browser, url -> url);
        Page done = browser.get(callback);
        if (done.status() != 303) {
            System.out.println("SSO refusals: " + admin.audit("action=session.create&principal=anonymous"));
        }
        assertThat(done.status()).isEqualTo(303);
        assertThat(done.location()).isEqualTo("/");
        assertThat(browser.get("/").status()).isEqualTo(200);
        Page reveal = browser.post("/devices/" + agent.deviceId + "/password", Map.of("reason", "sso test"));
        assertThat(reveal.status()).as(reveal.body()).isEqualTo(200);
        assertThat(reveal.body()).contains("Sso-secret-1");

        JsonNode olga = null;
        for (JsonNode u : server.get("/api/v1/users").json()) {
            if (u.get("name").asText().equals("olga")) {
                olga = u;
            }
        }
        assertThat(olga).as("created on first sign-in").isNotNull();
        assertThat(server.get("/api/v1/user-groups/" + group).json().get("members").toString())
                .contains(olga.get("id").asText());

        // The same subject again is the same user, whatever its name says now; a replayed state is refused.
        Page replay = new ConsoleClient(server).get(callback);
        assertThat(replay.status()).isIn(400);
        Page again = browser.get(callback);
        assertThat(again.status()).as("a state is good once").isEqualTo(400);
        nextToken("olga-sub-1", List.of(CLIENT), Map.of("preferred_username", "olga-renamed", "groups", List.of()), 3600);
        ConsoleClient second = new ConsoleClient(server);
        assertThat(second.get(throughTheProvider(second, url -> url)).status()).isEqualTo(303);
        assertThat(userNames()).contains("olga").doesNotContain("olga-renamed");
        assertThat(second.post("/devices/" + agent.deviceId + "/password", Map.of("reason", "x")).status())
                .as("the group claim no longer names the group: its rule no longer applies").isEqualTo(403);
    }

    @Test
    void aBrowserSignsInThroughTheProviderAndLandsOnTheSearch() throws Exception {
        org.castellan.testsupport.Chromium.require();
        nextToken("petra-sub-7", List.of(CLIENT), Map.of("preferred_username", "petra", "amr", List.of("pwd", "mfa")),
                3600);
        try (org.castellan.testsupport.Chromium chromium = org.castellan.testsupport.Chromium.start(server.spkiPin())) {
            org.openqa.selenium.WebDriver browser = chromium.driver();
            browser.get(server.url("/sign-in"));
            browser.findElement(org.openqa.selenium.By.id("sso")).click();
            new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(15))
                    .until(d -> d.getTitle().startsWith("Find a machine"));
            assertThat(browser.getCurrentUrl()).isEqualTo(server.url("/"));
            assertThat(browser.findElement(org.openqa.selenium.By.cssSelector("header .user")).getText())
                    .isEqualTo("petra");
            assertThat(chromium.consoleErrors()).isEmpty();
        }
        assertThat(admin.audit("action=session.create")).anySatisfy(r -> assertThat(r.get("detail").asText())
                .contains("single sign-on").contains("petra-sub-7").contains("second factor at the identity provider"));
    }

    @Test
    void anExpiredTokenAWrongNonceOrAForeignStateIsRefusedAndCreatesNobody() throws Exception {
        List<String> before = userNames();

        nextToken("mallory-2", List.of(CLIENT), Map.of("preferred_username", "mallory2"), -600);
        ConsoleClient one = new ConsoleClient(server);
        Page expired = one.get(throughTheProvider(one, url -> url));
        assertThat(expired.status()).as("expired").isEqualTo(401);
        assertThat(expired.body()).contains("not accepted");

        nextToken("mallory-3", List.of(CLIENT), Map.of("preferred_username", "mallory3"), 3600);
        ConsoleClient three = new ConsoleClient(server);
        String callback = throughTheProvider(three, url -> url.replaceFirst("nonce=[^&]+", "nonce=forged-nonce"));
        assertThat(three.get(callback).status()).as("wrong nonce").isEqualTo(401);

        // (No token queued: a foreign state is refused before any code is redeemed.)
        ConsoleClient four = new ConsoleClient(server);
        String foreign = throughTheProvider(four, url -> url);
        ConsoleClient otherBrowser = new ConsoleClient(server);
        otherBrowser.get("/sign-in/sso"); // a sign-in of its own under way: its cookie is not the state's
        assertThat(otherBrowser.get(foreign).status()).as("another browser's state").isEqualTo(400);

        assertThat(userNames()).isEqualTo(before);
        assertThat(one.get("/").status()).as("no session").isEqualTo(303);
        assertThat(admin.audit("action=session.create&principal=anonymous"))
                .anySatisfy(r -> assertThat(r.get("detail").asText()).contains("not valid"))
                .anySatisfy(r -> assertThat(r.get("detail").asText()).contains("reused or foreign state"));
    }
}
