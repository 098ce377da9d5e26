package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.Fixtures;
import org.castellan.cli.testing.RecordingHttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** devices list/show, password history/rotate, completion and usage behaviour. */
class DevicesAndPasswordsTest {
    @TempDir
    Path home;

    private RecordingHttpsServer server;
    private CliRunner cli;

    @BeforeEach
    void startServer() {
        server = new RecordingHttpsServer();
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device("44444444-0000-4000-8000-000000000001", "web01") + "]");
        cli = Fixtures.runnerFor(server, home);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void devicesListFitsOneHundredColumnsByDefault() {
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device("44444444-0000-4000-8000-000000000001", "web01")
                + "," + Fixtures.device("44444444-0000-4000-8000-000000000003", "finance-laptop-0042.corp")
                        .replace("\"pendingRotation\":false", "\"pendingRotation\":true")
                        .replace("\"warnings\":[]", "\"warnings\":[\"clone-reported:ws-0043\"]") + "]");

        CliRunner.Result result = cli.run("devices", "list");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().lines()).containsExactly(
                "HOSTNAME                  STATUS  OS     ACCOUNT  LAST SEEN  ROTATED  NOTES",
                "web01                     active  linux  root     5m ago     2d ago   -",
                "finance-laptop-0042.corp  active  linux  root     5m ago     2d ago   pending, 1 warning");
        assertThat(result.stdout().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
    }

    @Test
    void versionIsTheSharedVersionWithTheCommit() {
        CliRunner.Result result = cli.run("--version");

        assertThat(result.stdout().strip()).isEqualTo(org.castellan.protocol.BuildVersion.line("castellan"))
                .matches("castellan \\S+ \\(commit \\S+\\)").doesNotContain("dev");
    }

    @Test
    void devicesListPassesTheHostnameFilterAndPrintsATable() {
        CliRunner.Result result = cli.run("devices", "list", "--hostname", "web01", "-o", "wide");

        assertThat(result.exitCode()).isZero();
        assertThat(server.lastRequest("GET", "/api/v1/devices").query()).containsEntry("hostname", "web01");
        assertThat(result.stdout().lines()).containsExactly(
                "ID                                    HOSTNAME  STATUS  OS         AGENT  ACCOUNT  LAST SEEN             ROTATED               PENDING  WARNINGS",
                "44444444-0000-4000-8000-000000000001  web01     active  linux 6.1  0.1.0  root     2026-11-22T09:55:00Z  2026-11-20T08:00:00Z  false    -");
    }

    @Test
    void outputTableIsTheTextTableAndUnknownFormatsAreUsageErrors() {
        String text = cli.run("devices", "list", "-o", "text").stdout();

        assertThat(cli.run("devices", "list", "-o", "table").stdout()).isEqualTo(text).contains("HOSTNAME");
        CliRunner.Result yaml = cli.run("devices", "list", "-o", "yaml");
        assertThat(yaml.exitCode()).isEqualTo(2);
        assertThat(yaml.stderr()).contains("expected text, table, wide or json");
    }

    @Test
    void devicesListWithoutFilterSendsNoQuery() {
        cli.run("devices", "list");

        assertThat(server.lastRequest("GET", "/api/v1/devices").rawQuery()).isNull();
    }

    @Test
    void devicesShowPrintsEveryFieldIncludingOnesTheCliDoesNotKnow() {
        server.respond("GET", "/api/v1/devices/44444444-0000-4000-8000-000000000001", 200, Fixtures.device("44444444-0000-4000-8000-000000000001", "web01"));

        CliRunner.Result result = cli.run("devices", "show", "44444444-0000-4000-8000-000000000001");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("hostname:").contains("web01").contains("someFutureField:");
    }

    @Test
    void deviceIdIsPercentEncodedAsOnePathSegment() {
        server.respond("GET", "/api/v1/device-groups", 200, "[{\"id\":\"a/b?x\",\"name\":\"odd\"}]");

        cli.run("device-groups", "show", "odd");

        assertThat(server.requests()).last().satisfies(request -> {
            assertThat(request.rawPath()).isEqualTo("/api/v1/device-groups/a%2Fb%3Fx");
            assertThat(request.rawQuery()).isNull();
        });
    }

    @Test
    void passwordHistoryPassesTheReasonAndListsNewestFirst() {
        server.respond("GET", "/api/v1/devices/44444444-0000-4000-8000-000000000001/password/history", 200,
                "[{\"rotationId\":\"r-2\",\"account\":\"root\",\"state\":\"committed\",\"escrowedAt\":\"2026-11-20T08:00:00Z\","
                        + "\"committedAt\":\"2026-11-20T08:00:05Z\",\"password\":\"new-pw\"},"
                        + "{\"rotationId\":\"r-1\",\"account\":\"root\",\"state\":\"superseded\",\"escrowedAt\":\"2026-10-20T08:00:00Z\","
                        + "\"committedAt\":null,\"password\":\"old-pw\"}]");

        CliRunner.Result result = cli.run("password", "history", "web01", "--reason", "audit check");

        assertThat(result.exitCode()).isZero();
        assertThat(server.lastRequest("GET", "/api/v1/devices/44444444-0000-4000-8000-000000000001/password/history").query())
                .containsEntry("reason", "audit check");
        assertThat(result.stdout().lines()).hasSize(3);
        assertThat(result.stdout().lines().skip(1).map(line -> line.split(" +")[0])).containsExactly("r-2", "r-1");
        assertThat(result.stdout()).contains("new-pw").contains("old-pw");
    }

    @Test
    void passwordRotatePostsToTheResolvedDevice() {
        server.respond("POST", "/api/v1/devices/44444444-0000-4000-8000-000000000001/rotate", 202, "");

        CliRunner.Result result = cli.run("password", "rotate", "web01");

        assertThat(result.exitCode()).isZero();
        RecordingHttpsServer.Recorded post = server.lastRequest("POST", "/api/v1/devices/44444444-0000-4000-8000-000000000001/rotate");
        assertThat(post.authorization()).isEqualTo("Bearer " + Fixtures.TOKEN);
        assertThat(post.body()).isEqualTo("{}");
        assertThat(post.contentType()).startsWith("application/json");
        assertThat(result.stdout()).contains("rotation requested for web01");
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        CliRunner.Result result = cli.run("completion", "bash");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("complete -F").contains("registration-keys").contains("--server-fingerprint");
        for (String verb : new String[] {"users", "tokens", "login", "groups", "device-groups", "rules", "access", "audit",
                "channels", "recovery-key", "approve", "set-members", "--password-stdin", "--require-approval",
                "--history-keep", "password.read"}) {
            assertThat(result.stdout()).as("completion knows " + verb).contains(verb);
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void devicesListFollowsTheNextCursorKeepingTheHostnameFilter() {
        server.respond("GET", "/api/v1/devices", java.util.Map.of("hostname", "web01"), 200,
                "[" + Fixtures.device("44444444-0000-4000-8000-000000000001", "web01") + "]", java.util.Map.of("X-Next-Cursor", "p2"));
        server.respond("GET", "/api/v1/devices", java.util.Map.of("hostname", "web01", "after", "p2"), 200,
                "[" + Fixtures.device("44444444-0000-4000-8000-000000000002", "web01") + "]", java.util.Map.of());

        CliRunner.Result result = cli.run("devices", "list", "--hostname", "web01");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.requests()).extracting(RecordingHttpsServer.Recorded::rawQuery)
                .containsExactly("hostname=web01", "hostname=web01&after=p2");
        assertThat(result.stdout().lines()).hasSize(3);
    }

    @Test
    void resourceWithoutAVerbIsAUsageError() {
        CliRunner.Result result = cli.run("password");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("get").contains("history").contains("rotate");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRunner.Result result = cli.run("devices", "list", "--frobnicate");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(server.requests()).isEmpty();
    }
}
