package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.Fixtures;
import org.castellan.cli.testing.RecordingHttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrationKeysCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATED = "{\"id\":\"k-1\",\"key\":\"crk_registration-secret\",\"name\":\"laptops\","
            + "\"maxUses\":50,\"expiresAt\":\"2026-11-29T10:00:00Z\",\"createdAt\":\"2026-11-22T10:00:00Z\"}";

    @TempDir
    Path home;

    private RecordingHttpsServer server;
    private CliRunner cli;

    @BeforeEach
    void startServer() {
        server = new RecordingHttpsServer();
        server.respond("POST", "/api/v1/registration-keys", 201, CREATED);
        cli = Fixtures.runnerFor(server, home);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void createPostsNameMaxUsesExpiryFromNowGroupsAndApproval() throws Exception {
        CliRunner.Result result = cli.run("registration-keys", "create", "--name", "laptops", "--max-uses", "50",
                "--expires-in", "7d", "--group", "33333333-0000-4000-8000-00000000000a", "--group", "33333333-0000-4000-8000-00000000000b", "--require-approval");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        RecordingHttpsServer.Recorded post = server.lastRequest("POST", "/api/v1/registration-keys");
        assertThat(JSON.readTree(post.body())).isEqualTo(JSON.readTree(
                "{\"name\":\"laptops\",\"maxUses\":50,\"expiresAt\":\"2026-11-29T10:00:00Z\","
                        + "\"groups\":[\"33333333-0000-4000-8000-00000000000a\",\"33333333-0000-4000-8000-00000000000b\"],\"requireApproval\":true}"));
    }

    @Test
    void createPrintsTheKeyAloneOnStdoutAndWarnsItIsShownOnce() {
        CliRunner.Result result = cli.run("registration-keys", "create", "--name", "laptops");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("crk_registration-secret" + System.lineSeparator());
        assertThat(result.stderr()).contains("shown only this once").contains("k-1").doesNotContain("crk_registration-secret");
    }

    @Test
    void createWithOnlyANameSendsOnlyTheName() throws Exception {
        cli.run("registration-keys", "create", "--name", "servers");

        assertThat(JSON.readTree(server.lastRequest("POST", "/api/v1/registration-keys").body()))
                .isEqualTo(JSON.readTree("{\"name\":\"servers\"}"));
    }

    @Test
    void createWithAnAbsoluteExpirySendsItAsAnInstant() throws Exception {
        cli.run("registration-keys", "create", "--name", "x", "--expires-at", "2026-12-31T18:00:00+01:00");

        assertThat(JSON.readTree(server.lastRequest("POST", "/api/v1/registration-keys").body()).path("expiresAt").asText())
                .isEqualTo("2026-12-31T17:00:00Z");
    }

    @Test
    void createRejectsBothExpiryFlagsTogether() {
        CliRunner.Result result = cli.run("registration-keys", "create", "--name", "x", "--expires-at", "2026-12-31",
                "--expires-in", "7d");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("mutually exclusive");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void createRejectsAnUnreadableDuration() {
        CliRunner.Result result = cli.run("registration-keys", "create", "--name", "x", "--expires-in", "soon");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--expires-in: 'soon' is not a duration");
        assertThat(server.requests()).noneMatch(r -> r.method().equals("POST"));
    }

    @Test
    void createWithJsonOutputPrintsTheFullAnswer() throws Exception {
        CliRunner.Result result = cli.run("registration-keys", "create", "--name", "laptops", "-o", "json");

        assertThat(JSON.readTree(result.stdout())).isEqualTo(JSON.readTree(CREATED));
    }

    @Test
    void listPrintsAnAlignedTable() {
        server.respond("GET", "/api/v1/registration-keys", 200, "[{\"id\":\"k-1\",\"name\":\"laptops\",\"uses\":3,"
                + "\"maxUses\":50,\"expiresAt\":\"2026-11-29T10:00:00Z\",\"revokedAt\":null,\"createdAt\":\"2026-11-22T10:00:00Z\"},"
                + "{\"id\":\"k-22\",\"name\":\"all servers\",\"uses\":0,\"maxUses\":null,\"expiresAt\":null,"
                + "\"revokedAt\":\"2026-11-22T11:00:00Z\",\"createdAt\":\"2026-11-20T10:00:00Z\"}]");

        CliRunner.Result result = cli.run("registration-keys", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().lines()).containsExactly(
                "ID    NAME         USES  MAX USES  EXPIRES               REVOKED               CREATED",
                "k-1   laptops      3     50        2026-11-29T10:00:00Z  -                     2026-11-22T10:00:00Z",
                "k-22  all servers  0     -         -                     2026-11-22T11:00:00Z  2026-11-20T10:00:00Z");
    }

    @Test
    void revokePostsToTheKeysRevokePath() {
        server.respond("POST", "/api/v1/registration-keys/99999999-0000-4000-8000-000000000001/revoke", 200, "");

        CliRunner.Result result = cli.run("registration-keys", "revoke", "99999999-0000-4000-8000-000000000001");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("revoked registration key 99999999-0000-4000-8000-000000000001");
        assertThat(server.lastRequest("POST", "/api/v1/registration-keys/99999999-0000-4000-8000-000000000001/revoke").authorization())
                .isEqualTo("Bearer " + Fixtures.TOKEN);
    }
}
