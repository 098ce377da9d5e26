package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy's account options: stored, validated, audited, and sent to agents at registration and check-in. */
class PolicyAccountOptionsTest {
    private static final List<String> OPTIONS = List.of("createAccount", "ensureAdmin", "enableAccount",
            "removeKeychainAfterReset");

    @TempDir
    Path dataDir;

    @Test
    void accountOptionsAreOffByDefaultInThePolicyAndInTheAgentsAnswers() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            JsonNode policy = server.get("/api/v1/policies/default").json();
            TestAgent agent = new TestAgent(server);
            JsonNode registered = agent.register(TestAgent.newRegistrationKey(server)).json().get("policy");
            JsonNode checkedIn = agent.checkIn("root").json().get("policy");

            for (String option : OPTIONS) {
                assertThat(policy.get(option).asBoolean(true)).as(option).isFalse();
                assertThat(registered.get("accountOptions").get(option).asBoolean(true)).as(option).isFalse();
                assertThat(checkedIn.get("accountOptions").get(option).asBoolean(true)).as(option).isFalse();
            }
        }
    }

    @Test
    void optionsSetByPutAreStoredAuditedAndSurviveARestart() throws Exception {
        String token;
        try (TestServer server = TestServer.start(dataDir)) {
            token = server.adminToken;
            TestServer.Reply put = server.put("/api/v1/policies/default", Map.of("account", "castadmin",
                    "createAccount", true, "ensureAdmin", true, "enableAccount", true, "removeKeychainAfterReset", true));

            assertThat(put.status()).isEqualTo(200);
            assertThat(put.json().get("createAccount").asBoolean()).isTrue();
            assertThat(new AdminApi(server).audit("action=policy.update")).singleElement().satisfies(row ->
                    assertThat(row.get("detail").asText()).contains("createAccount=true", "ensureAdmin=true",
                            "enableAccount=true", "removeKeychainAfterReset=true"));
        }
        try (TestServer restarted = TestServer.attach(
                CastellanServer.start(TestServer.config(dataDir)), dataDir, token)) {
            JsonNode policy = restarted.get("/api/v1/policies/default").json();
            for (String option : OPTIONS) {
                assertThat(policy.get(option).asBoolean()).as(option).isTrue();
            }
            // A PUT that leaves the options out keeps them.
            restarted.put("/api/v1/policies/default", Map.of("length", 30));
            assertThat(restarted.get("/api/v1/policies/default").json().get("ensureAdmin").asBoolean()).isTrue();
        }
    }

    @Test
    void checkInAnswerCarriesTheOptionsOfTheDevicesGroupPolicy() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            server.put("/api/v1/policies/macs", Map.of("account", "castellan", "createAccount", true,
                    "removeKeychainAfterReset", true));
            TestAgent agent = new TestAgent(server).registered();
            new AdminApi(server).deviceGroup("macs", List.of(agent.deviceId), null, "macs");

            JsonNode policy = agent.checkIn("castellan").json().get("policy");

            assertThat(policy.get("account").asText()).isEqualTo("castellan");
            JsonNode options = policy.get("accountOptions");
            assertThat(options.get("createAccount").asBoolean()).isTrue();
            assertThat(options.get("ensureAdmin").asBoolean()).isFalse();
            assertThat(options.get("enableAccount").asBoolean()).isFalse();
            assertThat(options.get("removeKeychainAfterReset").asBoolean()).isTrue();
        }
    }

    @Test
    void createAccountWithoutANamedAccountIsRejectedAndChangesNothing() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            var before = DbSnapshot.take(dataDir, Set.of("request_nonces"));

            TestServer.Reply onDefault = server.put("/api/v1/policies/default", Map.of("createAccount", true));
            TestServer.Reply onNew = server.put("/api/v1/policies/fresh", Map.of("createAccount", true, "ensureAdmin", true));

            for (TestServer.Reply reply : List.of(onDefault, onNew)) {
                assertThat(reply.status()).isEqualTo(400);
                assertThat(reply.error()).isEqualTo("invalid-createAccount");
            }
            assertThat(DbSnapshot.take(dataDir, Set.of("request_nonces"))).isEqualTo(before);
            assertThat(server.get("/api/v1/policies/fresh").status()).isEqualTo(404);
        }
    }

    @Test
    void clearingTheAccountOfAPolicyThatCreatesItIsRejected() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            server.put("/api/v1/policies/default", Map.of("account", "castadmin", "createAccount", true));

            TestServer.Reply reply = server.put("/api/v1/policies/default", Map.of("account", ""));

            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("invalid-createAccount");
            assertThat(server.get("/api/v1/policies/default").json().get("account").asText()).isEqualTo("castadmin");
        }
    }

    @Test
    void optionThatIsNotABooleanIsRejected() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            TestServer.Reply reply = server.put("/api/v1/policies/default", "{\"ensureAdmin\":\"yes\"}");

            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("invalid-type");
            assertThat(server.get("/api/v1/policies/default").json().get("ensureAdmin").asBoolean()).isFalse();
        }
    }
}
