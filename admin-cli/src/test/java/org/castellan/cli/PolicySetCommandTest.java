package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.Fixtures;
import org.castellan.cli.testing.RecordingHttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicySetCommandTest {
    private static final String CURRENT = "{\"name\":\"default\",\"account\":\"root\",\"length\":20,\"complexity\":\"full\","
            + "\"passphraseWords\":null,\"excludeLookalikes\":false,\"maxAgeDays\":30,\"checkInSeconds\":3600,"
            + "\"updatedAt\":\"2026-11-01T00:00:00Z\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private RecordingHttpsServer server;
    private CliRunner cli;

    @BeforeEach
    void startServer() {
        server = new RecordingHttpsServer();
        cli = Fixtures.runnerFor(server, home);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void setMergesTheGivenFieldsIntoTheCurrentPolicyAndPutsTheWholePolicy() throws Exception {
        server.respond("GET", "/api/v1/policies/default", 200, CURRENT);
        server.respond("PUT", "/api/v1/policies/default", 200, CURRENT);

        CliRunner.Result result = cli.run("policy", "set", "--length", "32", "--exclude-lookalikes", "true",
                "--complexity", "alphanumeric");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        RecordingHttpsServer.Recorded put = server.lastRequest("PUT", "/api/v1/policies/default");
        assertThat(put.contentType()).startsWith("application/json");
        assertThat(JSON.readTree(put.body())).isEqualTo(JSON.readTree("{\"account\":\"root\",\"length\":32,"
                + "\"complexity\":\"alphanumeric\",\"passphraseWords\":null,\"excludeLookalikes\":true,\"maxAgeDays\":30,"
                + "\"checkInSeconds\":3600}"));
    }

    @Test
    void setOnANamedPolicyUsesItsPath() throws Exception {
        server.respond("GET", "/api/v1/policies/kiosks", 200, CURRENT);
        server.respond("PUT", "/api/v1/policies/kiosks", 200, "");

        CliRunner.Result result = cli.run("-o", "json", "policy", "set", "kiosks", "--account", "kioskadmin",
                "--max-age-days", "7", "--check-in-seconds", "600", "--passphrase-words", "5");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(JSON.readTree(server.lastRequest("PUT", "/api/v1/policies/kiosks").body())).isEqualTo(JSON.readTree(
                "{\"account\":\"kioskadmin\",\"length\":20,\"complexity\":\"full\",\"passphraseWords\":5,"
                        + "\"excludeLookalikes\":false,\"maxAgeDays\":7,\"checkInSeconds\":600}"));
        assertThat(JSON.readTree(result.stdout()).path("account").asText()).as("prints what was set").isEqualTo("kioskadmin");
    }

    @Test
    void setOnAPolicyThatDoesNotExistCreatesItFromTheGivenFields() throws Exception {
        server.respond("GET", "/api/v1/policies/new", 404, "{\"error\":\"unknown-policy\",\"message\":\"no such policy\"}");
        server.respond("PUT", "/api/v1/policies/new", 200, "{\"length\":28}");

        CliRunner.Result result = cli.run("policy", "set", "new", "--length", "28");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(JSON.readTree(server.lastRequest("PUT", "/api/v1/policies/new").body()))
                .isEqualTo(JSON.readTree("{\"length\":28}"));
        assertThat(result.stderr()).contains("does not exist yet");
    }

    @Test
    void setHistoryFieldsAndKeepsThemFromTheCurrentPolicyOtherwise() throws Exception {
        String current = CURRENT.replace("\"checkInSeconds\":3600", "\"checkInSeconds\":3600,\"historyKeep\":10,\"historyDays\":90");
        server.respond("GET", "/api/v1/policies/default", 200, current);
        server.respond("PUT", "/api/v1/policies/default", 200, current);

        cli.run("policy", "set", "--history-keep", "3", "--history-days", "0");
        JsonNode put = JSON.readTree(server.lastRequest("PUT", "/api/v1/policies/default").body());
        assertThat(put.path("historyKeep").asInt()).isEqualTo(3);
        assertThat(put.path("historyDays").isInt()).isTrue();
        assertThat(put.path("historyDays").asInt()).isZero();

        cli.run("policy", "set", "--length", "24");
        JsonNode kept = JSON.readTree(server.lastRequest("PUT", "/api/v1/policies/default").body());
        assertThat(kept.path("historyKeep").asInt()).isEqualTo(10);
        assertThat(kept.path("historyDays").asInt()).isEqualTo(90);
    }

    @Test
    void setRefusesAHistoryKeepBelowOneAndNegativeHistoryDays() {
        CliRunner.Result keep = cli.run("policy", "set", "--history-keep", "0");
        CliRunner.Result days = cli.run("policy", "set", "--history-days", "-1");

        assertThat(keep.exitCode()).isEqualTo(2);
        assertThat(keep.stderr()).contains("--history-keep must be at least 1");
        assertThat(days.exitCode()).isEqualTo(2);
        assertThat(days.stderr()).contains("--history-days must be 0 or more");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void setWithNothingToChangeIsAUsageErrorAndSendsNothing() {
        CliRunner.Result result = new CliRunner(home).run("policy", "set");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).as("checked before looking for a server or token").contains("nothing to change")
                .doesNotContain("no server given");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void setRejectsAnUnknownComplexityBeforeSendingAnything() {
        CliRunner.Result result = cli.run("policy", "set", "--complexity", "extreme");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--complexity must be full or alphanumeric");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void setDoesNotPutWhenReadingTheCurrentPolicyIsForbidden() {
        server.respond("GET", "/api/v1/policies/default", 403, "{\"error\":\"forbidden\",\"message\":\"admins only\"}");

        CliRunner.Result result = cli.run("policy", "set", "--length", "30");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("castellan: get policy default: admins only (forbidden, HTTP 403)");
        assertThat(server.requests()).noneMatch(r -> r.method().equals("PUT"));
    }

    @Test
    void setShowsWhatChangedAndNothingElse() {
        server.respond("GET", "/api/v1/policies/default", 200, CURRENT);
        server.respond("PUT", "/api/v1/policies/default", 200, CURRENT.replace("\"length\":20", "\"length\":32"));

        CliRunner.Result result = cli.run("policy", "set", "--length", "32", "--check-in-seconds", "3600");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("policy default:" + System.lineSeparator() + "  length: 20 -> 32"
                + System.lineSeparator());

        server.respond("PUT", "/api/v1/policies/default", 200, CURRENT);
        assertThat(cli.run("policy", "set", "--length", "20").stdout()).startsWith("policy default: nothing changed");
    }

    @Test
    void getPrintsEveryFieldOfTheDefaultPolicy() {
        server.respond("GET", "/api/v1/policies/default", 200, CURRENT);

        CliRunner.Result result = cli.run("policy", "get");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("length:             20").contains("checkInSeconds:     3600")
                .contains("passphraseWords:    -").contains("updatedAt:");
    }

    private static final String CURRENT_WITH_OPTIONS = "{\"name\":\"macs\",\"account\":\"castellan\",\"length\":20,"
            + "\"complexity\":\"full\",\"passphraseWords\":0,\"excludeLookalikes\":true,\"maxAgeDays\":30,"
            + "\"checkInSeconds\":3600,\"historyKeep\":10,\"historyDays\":90,\"createAccount\":false,"
            + "\"ensureAdmin\":true,\"enableAccount\":false,\"removeKeychainAfterReset\":true}";

    @Test
    void accountOptionFlagsAreSentAndTheOthersKeptFromTheCurrentPolicy() throws Exception {
        server.respond("GET", "/api/v1/policies/macs", 200, CURRENT_WITH_OPTIONS);
        server.respond("PUT", "/api/v1/policies/macs", 200, CURRENT_WITH_OPTIONS);

        CliRunner.Result result = cli.run("policy", "set", "macs", "--create-account", "true",
                "--remove-keychain-after-reset", "false", "--enable-account", "TRUE");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode put = JSON.readTree(server.lastRequest("PUT", "/api/v1/policies/macs").body());
        assertThat(put.get("createAccount").asBoolean()).isTrue();
        assertThat(put.get("ensureAdmin").asBoolean()).as("kept from the current policy").isTrue();
        assertThat(put.get("enableAccount").asBoolean()).isTrue();
        assertThat(put.get("removeKeychainAfterReset").asBoolean()).isFalse();
        assertThat(put.get("account").asText()).isEqualTo("castellan");
        assertThat(put.get("createAccount").isBoolean()).as("a JSON boolean, not a string").isTrue();
    }

    @Test
    void accountOptionsAreNotSentToAServerThatDoesNotKnowThem() throws Exception {
        // An older server rejects unknown fields: a merge must not invent them.
        server.respond("GET", "/api/v1/policies/default", 200, CURRENT);
        server.respond("PUT", "/api/v1/policies/default", 200, CURRENT);

        assertThat(cli.run("policy", "set", "--length", "24").exitCode()).isZero();

        assertThat(JSON.readTree(server.lastRequest("PUT", "/api/v1/policies/default").body()).has("ensureAdmin")).isFalse();
    }

    @Test
    void accountOptionFlagThatIsNotABooleanIsAUsageErrorAndSendsNothing() {
        CliRunner.Result result = cli.run("policy", "set", "--ensure-admin", "yes");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--ensure-admin");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void getShowsTheAccountOptions() {
        server.respond("GET", "/api/v1/policies/macs", 200, CURRENT_WITH_OPTIONS);

        CliRunner.Result result = cli.run("policy", "get", "macs");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("createAccount:").contains("ensureAdmin:").contains("enableAccount:")
                .contains("removeKeychainAfterReset:");
        assertThat(result.stdout()).containsPattern("ensureAdmin:\\s+true");
    }
}
