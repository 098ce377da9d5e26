package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy's {@code account} must be an account name on every system the policy can reach: all of
 * them for {@code default} and for a policy no device group names, else those of its groups.
 */
class PolicyAccountNameTest {
    @TempDir
    Path dataDir;

    @Test
    void accountsWithSpacesControlCharactersOrAnotherSystemsRulesAreRefused() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            for (String bad : List.of("local admin", "admin\t", "ad\u200bmin", "adm\u00a0in", "-rf", "a/b", "a:b",
                    "J\u00e4rjestelm\u00e4nvalvoja", "9lives", "x".repeat(33))) {
                TestServer.Reply put = server.put("/api/v1/policies/default", Map.of("account", bad));
                assertThat(put.status()).as(bad + ": " + put.body()).isEqualTo(400);
                assertThat(put.error()).as(bad).isIn("invalid-account");
            }
            assertThat(server.get("/api/v1/policies/default").json().get("account").asText()).isEmpty();
            for (String good : List.of("castellan-admin", "_svc.lap", "Admin_2")) {
                assertThat(server.put("/api/v1/policies/default", Map.of("account", good)).status()).as(good).isEqualTo(200);
            }
            assertThat(server.put("/api/v1/policies/default", Map.of("account", "")).status()).isEqualTo(200);
        }
    }

    @Test
    void aPolicyOnlyWindowsGroupsUseTakesAWindowsNameAndCannotThenBeGivenToOtherSystems() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            AdminApi admin = new AdminApi(server);
            String localised = "J\u00e4rjestelm\u00e4nvalvoja"; // the Finnish built-in administrator
            // Not attached anywhere yet: it may reach every system, so the Linux rules apply too.
            assertThat(server.put("/api/v1/policies/fi-desktops", Map.of("account", "")).status()).isEqualTo(200);
            assertThat(server.put("/api/v1/policies/fi-desktops", Map.of("account", localised)).error())
                    .isEqualTo("invalid-account");
            String windows = admin.deviceGroup("fi-windows", List.of(), Map.of("os", "windows"), "fi-desktops");
            TestServer.Reply put = server.put("/api/v1/policies/fi-desktops", Map.of("account", localised));
            assertThat(put.status()).as(put.body()).isEqualTo(200);
            // Windows' own rules: 20 characters at most, no '@' or ','.
            assertThat(server.put("/api/v1/policies/fi-desktops", Map.of("account", "a".repeat(21))).error())
                    .isEqualTo("invalid-account");
            assertThat(server.put("/api/v1/policies/fi-desktops", Map.of("account", "ad@min")).error())
                    .isEqualTo("invalid-account");

            // Attaching it where Linux or macOS devices (or explicit members of any system) get it is refused.
            for (Map<String, Object> group : List.of(
                    Map.<String, Object>of("name", "fi-linux", "match", Map.of("os", "linux"), "policy", "fi-desktops"),
                    Map.<String, Object>of("name", "fi-any", "match", Map.of("hostname", "fi-*"), "policy", "fi-desktops"))) {
                TestServer.Reply refused = server.post("/api/v1/device-groups", group);
                assertThat(refused.status()).as(refused.body()).isEqualTo(400);
                assertThat(refused.error()).isEqualTo("invalid-policy");
            }
            assertThat(server.get("/api/v1/device-groups").json()).hasSize(1);

            // A first explicit member (of any system) would give the policy every system: refused, nothing added.
            String linux = new TestAgent(server).registered().deviceId;
            TestServer.Reply added = server.post("/api/v1/device-groups/" + windows + "/members",
                    Map.of("add", List.of(linux)));
            assertThat(added.status()).as(added.body()).isEqualTo(400);
            assertThat(added.error()).isEqualTo("invalid-policy");
            assertThat(server.get("/api/v1/device-groups/" + windows).json().get("memberCount").asLong()).isZero();
            assertThat(server.get("/api/v1/device-groups/" + windows + "/members").json()).isEmpty();
        }
    }
}
