package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.Fixtures;
import org.castellan.cli.testing.RecordingHttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordGetCommandTest {
    private static final String DEVICE_ID = "5f0c7a9e-1d2b-4c3d-9e8f-0a1b2c3d4e5f";
    private static final String PASSWORD_PATH = "/api/v1/devices/" + DEVICE_ID + "/password";

    @TempDir
    Path home;

    private RecordingHttpsServer server;
    private CliRunner cli;

    @BeforeEach
    void startServer() {
        server = new RecordingHttpsServer();
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device(DEVICE_ID, "web01") + "]");
        cli = Fixtures.runnerFor(server, home);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static String reveal(String password, String pending) {
        return "{\"deviceId\":\"" + DEVICE_ID + "\",\"hostname\":\"web01\",\"account\":\"root\",\"password\":"
                + (password == null ? "null" : "\"" + password.replace("\"", "\\\"") + "\"") + ",\"rotationId\":\"r-1\","
                + "\"rotatedAt\":\"2026-11-20T08:00:00Z\",\"expiresAt\":\"2026-12-20T08:00:00Z\",\"pending\":[" + pending
                + "],\"auditId\":42}";
    }

    private static String pending(String rotationId, String password, String escrowedAt) {
        return "{\"rotationId\":\"" + rotationId + "\",\"account\":\"root\",\"password\":\"" + password
                + "\",\"escrowedAt\":\"" + escrowedAt + "\",\"note\":\"may be in use\"}";
    }

    @Test
    void printsExactlyThePasswordAndANewlineOnStdout() {
        server.respond("GET", PASSWORD_PATH, 200, reveal("c0rrect-H0rse \"quoted\"", ""));

        CliRunner.Result result = cli.run("password", "get", "web01");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("c0rrect-H0rse \"quoted\"" + System.lineSeparator());
        assertThat(result.stderr()).isEmpty();
        assertThat(server.lastRequest("GET", "/api/v1/devices").query()).containsEntry("hostname", "web01");
        assertThat(server.lastRequest("GET", PASSWORD_PATH).authorization()).isEqualTo("Bearer " + Fixtures.TOKEN);
    }

    @Test
    void urlEncodesTheReasonIntoTheQuery() {
        server.respond("GET", PASSWORD_PATH, 200, reveal("pw", ""));
        String reason = "ticket #4711 & reboot=yes/ü";

        CliRunner.Result result = cli.run("password", "get", "web01", "--reason", reason);

        assertThat(result.exitCode()).isZero();
        RecordingHttpsServer.Recorded request = server.lastRequest("GET", PASSWORD_PATH);
        assertThat(request.query()).containsExactly(java.util.Map.entry("reason", reason));
        assertThat(request.rawQuery()).startsWith("reason=ticket%20%234711%20%26%20reboot%3Dyes")
                .doesNotContain(" ").doesNotContain("#");
    }

    @Test
    void unknownHostnameIsAClearErrorWithExitCode1() {
        server.respond("GET", "/api/v1/devices", 200, "[]");

        CliRunner.Result result = cli.run("password", "get", "nosuch");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("castellan: no device named nosuch" + System.lineSeparator());
    }

    @Test
    void aMistypedHostnameGetsTheCloseNamesSuggested() {
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device(DEVICE_ID, "ws-0042") + ","
                + Fixtures.device("22222222-2222-2222-2222-222222222222", "ws-0024") + ","
                + Fixtures.device("33333333-3333-3333-3333-333333333333", "db-01") + "]");

        CliRunner.Result result = cli.run("password", "get", "ws-0402");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("castellan: no device named ws-0402; did you mean ws-0042, ws-0024?"
                + System.lineSeparator());
        assertThat(server.requests()).noneMatch(r -> r.path().endsWith("/password"));
    }

    @Test
    void similarButNotEqualHostnameIsNotUsed() {
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device(DEVICE_ID, "web010") + "]");

        CliRunner.Result result = cli.run("password", "get", "web01");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("no device named web01; did you mean web010?");
        assertThat(server.requests()).noneMatch(r -> r.path().endsWith("/password"));
    }

    @Test
    void severalDevicesWithTheHostnameAreListedAndNoPasswordIsRead() {
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device("id-a", "web01") + ","
                + Fixtures.device("id-b", "WEB01") + "]");

        CliRunner.Result result = cli.run("password", "get", "web01");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("2 devices are named web01; pick one with --device-id ID")
                .contains("id-a").contains("id-b").contains("HOSTNAME");
        assertThat(server.requests()).noneMatch(r -> r.path().endsWith("/password"));
    }

    @Test
    void deviceIdPicksOneOfSeveralDevices() {
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device("id-a", "web01") + ","
                + Fixtures.device("id-b", "web01") + "]");
        server.respond("GET", "/api/v1/devices/id-b/password", 200, reveal("pw-of-b", ""));

        CliRunner.Result result = cli.run("password", "get", "web01", "--device-id", "id-b");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("pw-of-b" + System.lineSeparator());
    }

    @Test
    void deviceIdOfAnotherHostIsRefused() {
        CliRunner.Result result = cli.run("password", "get", "web01", "--device-id", "someone-else");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("no device with id someone-else is named web01");
        assertThat(server.requests()).noneMatch(r -> r.path().endsWith("/password"));
    }

    @Test
    void onlyPendingPrintsTheNewestPendingPasswordAndWarnsItMayBeInUse() {
        server.respond("GET", PASSWORD_PATH, 200, reveal(null,
                pending("r-old", "older-pending", "2026-11-22T08:00:00Z") + ","
                        + pending("r-new", "newest-pending", "2026-11-22T09:00:00Z")));

        CliRunner.Result result = cli.run("password", "get", "web01");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("newest-pending" + System.lineSeparator());
        assertThat(result.stderr()).contains("warning").contains("may be in use").contains("r-new")
                .doesNotContain("newest-pending").doesNotContain("older-pending");
    }

    @Test
    void currentAndPendingPrintsTheCurrentAndNotesThePendingOnStderr() {
        server.respond("GET", PASSWORD_PATH, 200, reveal("current-pw",
                pending("r-new", "pending-pw", "2026-11-22T09:00:00Z")));

        CliRunner.Result result = cli.run("password", "get", "web01");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("current-pw" + System.lineSeparator());
        assertThat(result.stderr()).contains("1 pending password").contains("-o json").doesNotContain("pending-pw");
    }

    @Test
    void jsonOutputIsTheFullAnswerIncludingPendingAndUnknownFields() throws Exception {
        String answer = reveal("current-pw", pending("r-new", "pending-pw", "2026-11-22T09:00:00Z"));
        server.respond("GET", PASSWORD_PATH, 200, answer);

        CliRunner.Result result = cli.run("-o", "json", "password", "get", "web01");

        assertThat(result.exitCode()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode printed = mapper.readTree(result.stdout());
        assertThat(printed).isEqualTo(mapper.readTree(answer));
        assertThat(printed.path("pending").get(0).path("password").asText()).isEqualTo("pending-pw");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void outputFlagIsAcceptedAfterTheVerbToo() throws Exception {
        server.respond("GET", PASSWORD_PATH, 200, reveal("pw", ""));

        CliRunner.Result result = cli.run("password", "get", "web01", "--output", "JSON");

        assertThat(result.exitCode()).isZero();
        assertThat(new ObjectMapper().readTree(result.stdout()).path("password").asText()).isEqualTo("pw");
    }

    @Test
    void noPasswordFromTheServerIsAFormattedErrorWithExitCode1() {
        server.respond("GET", PASSWORD_PATH, 404,
                "{\"error\":\"no-password\",\"message\":\"no password has been escrowed for this device\"}");

        CliRunner.Result result = cli.run("password", "get", "web01");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("castellan: get password for web01: no password has been escrowed for"
                + " this device (no-password, HTTP 404)" + System.lineSeparator());
    }

    @Test
    void aDeletedDeviceWhoseSecretsAreKeptIsFoundWhenNoLiveDeviceHasTheName() {
        server.respond("GET", "/api/v1/devices", Map.of("hostname", "gone01"), 200, "[]", Map.of());
        server.respond("GET", "/api/v1/devices", Map.of("hostname", "gone01", "deleted", "true"), 200,
                "[" + Fixtures.device(DEVICE_ID, "gone01").replace("\"active\"", "\"deleted\"").replaceFirst("\\{",
                        "{\"deletedAt\":\"2026-12-01T00:00:00Z\",\"purgeAfter\":\"2026-12-31T00:00:00Z\",") + "]", Map.of());
        server.respond("GET", PASSWORD_PATH, 200, reveal("Still-Set-On-The-Machine", ""));

        CliRunner.Result result = cli.run("password", "get", "gone01");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("Still-Set-On-The-Machine" + System.lineSeparator());
        assertThat(result.stderr()).contains("was deleted at 2026-12-01T00:00:00Z")
                .contains("kept until 2026-12-31T00:00:00Z");
    }
}
