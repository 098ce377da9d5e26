package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.FakeTerminal;
import org.castellan.cli.testing.Fixtures;
import org.castellan.cli.testing.RecordingHttpsServer;
import org.castellan.cli.testing.ServerTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** devices approve, disable, enable and delete, by id or host name. */
class DeviceStatesCommandTest extends ServerTestBase {
    private static final String DEVICE_ID = "0b6c2a51-7e43-4f7a-9d1e-3c2b1a0f9e8d";

    @BeforeEach
    void device() {
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device(DEVICE_ID, "laptop7") + "]");
    }

    @ParameterizedTest
    @CsvSource({"approve, approved", "disable, disabled", "enable, enabled"})
    void stateChangeResolvesTheHostnameAndPostsToTheDeviceActionPath(String action, String done) {
        server.respond("POST", "/api/v1/devices/" + DEVICE_ID + "/" + action, 200,
                Fixtures.device(DEVICE_ID, "laptop7").replace("\"active\"", "\"" + (action.equals("disable") ? "disabled" : "active") + "\""));

        CliRunner.Result result = cli.run("devices", action, "laptop7");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.lastRequest("GET", "/api/v1/devices").query()).containsEntry("hostname", "laptop7");
        assertThat(server.lastRequest("POST", "/api/v1/devices/" + DEVICE_ID + "/" + action).body()).isEqualTo("{}");
        assertThat(result.stdout()).startsWith(done + " laptop7 (device " + DEVICE_ID + "); status ");
    }

    @Test
    void aDeviceIdIsUsedWithoutLookingUpHostnames() {
        server.respond("POST", "/api/v1/devices/" + DEVICE_ID + "/approve", 200, Fixtures.device(DEVICE_ID, "laptop7"));

        CliRunner.Result result = cli.run("devices", "approve", DEVICE_ID, "-o", "json");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.requests()).extracting(RecordingHttpsServer.Recorded::path)
                .containsExactly("/api/v1/devices/" + DEVICE_ID + "/approve");
        assertThat(parsed(result.stdout()).path("hostname").asText()).isEqualTo("laptop7");
    }

    @Test
    void revealOfADisabledDeviceShowsTheServersConflict() {
        server.respond("GET", "/api/v1/devices/" + DEVICE_ID + "/password", 409,
                "{\"error\":\"device-disabled\",\"message\":\"the device is disabled\"}");

        CliRunner.Result result = cli.run("password", "get", "laptop7");

        assertThat(result.stderr()).isEqualTo("castellan: get password for laptop7: the device is disabled"
                + " (device-disabled, HTTP 409)" + NL);
    }

    @Test
    void deleteWithoutTerminalNeedsYesAndSendsNothingWithoutIt() {
        CliRunner.Result result = cli.run("devices", "delete", "laptop7");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--yes");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void deleteWithYesSendsDelete() {
        server.respond("DELETE", "/api/v1/devices/" + DEVICE_ID, 204, "");

        CliRunner.Result result = cli.run("devices", "delete", "laptop7", "--yes");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("deleted laptop7 (device " + DEVICE_ID + ")" + NL);
        assertThat(server.lastRequest("DELETE", "/api/v1/devices/" + DEVICE_ID)).isNotNull();
    }

    @Test
    void deleteOnATerminalAsksAndDeletesOnYes() {
        server.respond("DELETE", "/api/v1/devices/" + DEVICE_ID, 204, "");
        FakeTerminal terminal = new FakeTerminal().answer("y");

        CliRunner.Result result = cli.terminal(terminal).run("devices", "delete", "laptop7");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(terminal.prompts()).singleElement().asString().contains("Delete laptop7").contains(DEVICE_ID).endsWith("[y/N] ");
        assertThat(server.lastRequest("DELETE", "/api/v1/devices/" + DEVICE_ID)).isNotNull();
    }

    @Test
    void deleteOnATerminalKeepsTheDeviceUnlessTheAnswerIsYes() {
        CliRunner.Result result = cli.terminal(new FakeTerminal().answer("")).run("devices", "delete", "laptop7");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("not deleted");
        assertThat(server.requests()).noneMatch(r -> r.method().equals("DELETE"));
    }

    @Test
    void forbiddenDeviceManageIsAFormattedError() {
        server.respond("POST", "/api/v1/devices/" + DEVICE_ID + "/disable", 403,
                "{\"error\":\"forbidden\",\"message\":\"you may not manage this device\"}");

        CliRunner.Result result = cli.run("devices", "disable", "laptop7");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("castellan: disable laptop7 (device " + DEVICE_ID
                + "): you may not manage this device (forbidden, HTTP 403)" + NL);
    }

    @Test
    void deleteSaysTheSecretsStayUntilPurged() {
        server.respond("DELETE", "/api/v1/devices/" + DEVICE_ID, 204, "");

        CliRunner.Result result = cli.run("devices", "delete", "laptop7", "--yes");

        assertThat(result.stderr()).contains("stay readable").contains("devices purge " + DEVICE_ID);
    }

    @Test
    void purgeLooksTheHostnameUpAmongDeletedDevicesAndPostsTheReason() {
        server.respond("POST", "/api/v1/devices/" + DEVICE_ID + "/purge", 200,
                "{\"deviceId\":\"" + DEVICE_ID + "\",\"deviceGone\":true,\"passwords\":3,\"recoveryKeys\":1}");

        CliRunner.Result result = cli.run("devices", "purge", "laptop7", "--reason", "disk shredded", "--yes");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.lastRequest("GET", "/api/v1/devices").query()).containsEntry("hostname", "laptop7")
                .containsEntry("deleted", "true");
        assertThat(server.lastRequest("POST", "/api/v1/devices/" + DEVICE_ID + "/purge").body())
                .isEqualTo("{\"reason\":\"disk shredded\"}");
        assertThat(result.stdout()).isEqualTo("purged laptop7 (device " + DEVICE_ID + "): 3 passwords and 1 recovery keys"
                + NL);
    }

    @Test
    void purgeNeedsAReasonAndWithoutTerminalYesAndSendsNothingOtherwise() {
        assertThat(cli.run("devices", "purge", "laptop7", "--yes").exitCode()).isEqualTo(2);
        assertThat(cli.run("devices", "purge", "laptop7", "--yes", "--reason", "  ").exitCode()).isEqualTo(2);
        CliRunner.Result noYes = cli.run("devices", "purge", "laptop7", "--reason", "gone");
        assertThat(noYes.exitCode()).isEqualTo(2);
        assertThat(noYes.stderr()).contains("--yes");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void listDeletedAsksForTombstonesAndShowsWhenTheyArePurged() {
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device(DEVICE_ID, "laptop7")
                .replace("\"active\"", "\"deleted\"").replaceFirst("\\{", "{\"deletedAt\":\"2026-12-01T00:00:00Z\","
                        + "\"purgeAfter\":\"2026-12-31T00:00:00Z\",") + "]");

        CliRunner.Result result = cli.run("devices", "list", "--deleted");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.lastRequest("GET", "/api/v1/devices").query()).containsEntry("deleted", "true");
        assertThat(result.stdout()).contains("PURGE AFTER").contains("2026-12-31T00:00:00Z");
    }

    @Test
    void recoveryKeyPurgePostsTheReasonForTheDevice() {
        server.respond("POST", "/api/v1/devices/" + DEVICE_ID + "/recovery-keys/purge", 200,
                "{\"deviceId\":\"" + DEVICE_ID + "\",\"deviceGone\":false,\"passwords\":0,\"recoveryKeys\":2}");

        CliRunner.Result result = cli.run("recovery-key", "purge", "laptop7", "--reason", "D: wiped");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.lastRequest("POST", "/api/v1/devices/" + DEVICE_ID + "/recovery-keys/purge").body())
                .isEqualTo("{\"reason\":\"D: wiped\"}");
        assertThat(result.stdout()).startsWith("deleted 2 recovery keys of removed volumes of laptop7");
    }
}
