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
import org.castellan.server.config.ConsoleSettings;
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
 * create nothing; an ID token for another audience or signed with a key the provider never
 * published (put in place of the provider's token answer) is refused and creates nothing.
 */
class SingleSignOnTest {
    static final String ISSUER_ID = "corp";
    static final String CLIENT = "castellan-console";
    @TempDir
    static Path dataDir;
    static MockOAuth2Server idp;
    static org.castellan.server.testing.TestClock clock = org.castellan.server.testing.TestClock.now();
    static TestServer server;
    static AdminApi admin;
    static final OkHttpClient plain = new OkHttpClient.Builder().followRedirects(false).build();

    @BeforeAll
    static void start() throws Exception {
        idp = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(), Set.of(),
                new NettyWrapper()), TOKEN_ANSWER);
        idp.start(0);
        URI issuer = URI.create(idp.issuerUrl(ISSUER_ID).toString());
        server = TestServer.start(dataDir, TestServer.GENEROUS, clock, DispatcherSettings.defaults(),
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
        TestAgent agent = new TestAgent(server);
        agent.clock = clock; // the server's clock, which a test moves on
        agent.registered();
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

    /**
     * The provider's redirect back, with the provider's next answer (the token endpoint's, as the
     * server redeems the code) replaced by {@code idToken(nonce)}: a token the provider would
     * never issue for this sign-in.
     */
    private static String withTokenResponse(ConsoleClient browser,
                                            java.util.function.Function<String, String> idToken) throws Exception {
        String[] nonce = new String[1];
        String callback = throughTheProvider(browser, url -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("[?&]nonce=([^&]+)").matcher(url);
            assertThat(m.find()).isTrue();
            nonce[0] = java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
            return url;
        });
        NEXT_TOKEN_ANSWER.set("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                + "\"id_token\":\"" + idToken.apply(nonce[0]) + "\"}");
        return callback;
    }

    /** The token endpoint's next answer, when a test sets one; the provider's own otherwise. */
    static final java.util.concurrent.atomic.AtomicReference<String> NEXT_TOKEN_ANSWER =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** A route in front of the provider's own: answers a code redemption with {@link #NEXT_TOKEN_ANSWER}, once. */
    static final no.nav.security.mock.oauth2.http.Route TOKEN_ANSWER = new no.nav.security.mock.oauth2.http.Route() {
        @Override
        public boolean match(no.nav.security.mock.oauth2.http.OAuth2HttpRequest request) {
            return NEXT_TOKEN_ANSWER.get() != null && "POST".equals(request.getMethod())
                    && request.getUrl().encodedPath().endsWith("/token");
        }

        @Override
        public no.nav.security.mock.oauth2.http.OAuth2HttpResponse invoke(
                no.nav.security.mock.oauth2.http.OAuth2HttpRequest request) {
            return new no.nav.security.mock.oauth2.http.OAuth2HttpResponse(okhttp3.Headers.of(
                    "Content-Type", "application/json", "Cache-Control", "no-store"), 200,
                    NEXT_TOKEN_ANSWER.getAndSet(null), null);
        }
    };

    @Test
    void anIdTokenForAnotherAudienceOrWithABadSignatureIsRefusedAndCreatesNobody() throws Exception {
        List<String> before = userNames();

        // Signed by the provider's own key, but issued to another client.
        ConsoleClient one = new ConsoleClient(server);
        String toOther = withTokenResponse(one, nonce -> idp.issueToken(ISSUER_ID, "other-client",
                new DefaultOAuth2TokenCallback(ISSUER_ID, "eve-sub-1", "JWT", List.of("other-client"),
                        Map.of("nonce", nonce, "preferred_username", "eve1"), 3600)).serialize());
        Page wrongAudience = one.get(toOther);
        assertThat(wrongAudience.status()).as(wrongAudience.body()).isEqualTo(401);
        assertThat(wrongAudience.body()).contains("not accepted");

        // Everything right (audience, nonce, issuer, key id) but signed with a key the provider never published.
        ConsoleClient two = new ConsoleClient(server);
        com.nimbusds.jwt.SignedJWT genuine = idp.issueToken(ISSUER_ID, CLIENT,
                new DefaultOAuth2TokenCallback(ISSUER_ID, "eve-sub-2", "JWT", List.of(CLIENT), Map.of(), 3600));
        com.nimbusds.jose.jwk.RSAKey forger = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048)
                .keyID(genuine.getHeader().getKeyID()).generate();
        String forged = withTokenResponse(two, nonce -> {
            try {
                com.nimbusds.jwt.JWTClaimsSet claims = new com.nimbusds.jwt.JWTClaimsSet.Builder(genuine.getJWTClaimsSet())
                        .claim("nonce", nonce).claim("preferred_username", "eve2").build();
                com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(
                        com.nimbusds.jose.JWSAlgorithm.RS256).keyID(forger.getKeyID()).build(), claims);
                jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(forger));
                return jwt.serialize();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Page badSignature = two.get(forged);
        assertThat(badSignature.status()).as(badSignature.body()).isEqualTo(401);

        assertThat(userNames()).isEqualTo(before).doesNotContain("eve1", "eve2");
        assertThat(one.get("/").status()).as("no session").isEqualTo(303);
        assertThat(two.get("/").status()).as("no session").isEqualTo(303);
        List<JsonNode> refusals = admin.audit("action=session.create&principal=anonymous");
        assertThat(refusals).anySatisfy(r -> assertThat(r.get("detail").asText()).contains("not valid")
                .containsIgnoringCase("audience"));
        assertThat(refusals).anySatisfy(r -> assertThat(r.get("detail").asText()).contains("not valid")
                .containsIgnoringCase("signature"));
    }

    @Test
    void signInsOlderThanTheirWindowArePurgedAndOnesUnderWayAreKept() throws Exception {
        assertThat(new ConsoleClient(server).get("/sign-in/sso").status()).isEqualTo(303); // abandoned
        clock.advance(java.time.Duration.ofMinutes(11));
        nextToken("quinn-sub-1", List.of(CLIENT), Map.of("preferred_username", "quinn"), 3600);
        ConsoleClient underWay = new ConsoleClient(server);
        String callback = throughTheProvider(underWay, url -> url);

        assertThat(server.server.purgeSsoLoginsAsScheduled()).as("the abandoned one (and older)").isPositive();
        assertThat(server.server.purgeSsoLoginsAsScheduled()).as("nothing left past the window").isZero();
        assertThat(underWay.get(callback).status()).as("the sign-in under way still completes").isEqualTo(303);
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
