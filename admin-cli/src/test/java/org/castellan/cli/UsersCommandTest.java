package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.FakeTerminal;
import org.castellan.cli.testing.RecordingHttpsServer;
import org.castellan.cli.testing.ServerTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UsersCommandTest extends ServerTestBase {
    private static final String PASSWORD = "Tr0ub4dor&3-horse staple";
    private static final String CREATED = q("{'id':'u-1','name':'ann','admin':false,'createdAt':'2026-11-22T10:00:00Z'}");

    @BeforeEach
    void routes() {
        server.respond("POST", "/api/v1/users", 201, CREATED);
    }

    @Test
    void createReadsThePasswordFromStdinAndPrintsOnlyTheIdOnStdout() {
        CliRunner.Result result = cli.secretOnStdin(PASSWORD).run("users", "create", "ann", "--password-stdin");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        RecordingHttpsServer.Recorded post = server.lastRequest("POST", "/api/v1/users");
        assertThat(parsed(post.body())).isEqualTo(json("{'name':'ann','admin':false,'password':'" + PASSWORD + "'}"));
        assertThat(post.contentType()).startsWith("application/json");
        assertThat(result.stdout()).isEqualTo("u-1" + NL);
        assertThat(result.stderr()).contains("created user ann (id u-1)");
    }

    @Test
    void createKeepsSpacesAroundAPasswordFromStdinButDropsTheLineEnd() {
        cli.stdin("  spaced password  \r\n").secret("spaced password").run("users", "create", "ann", "--password-stdin");

        assertThat(parsed(server.lastRequest("POST", "/api/v1/users").body()).path("password").asText())
                .isEqualTo("  spaced password  ");
    }

    @Test
    void createEncodesQuotesBackslashesAndNonAsciiInThePasswordAsValidJson() {
        String tricky = "q\"uo\\te ünï €1234567";

        CliRunner.Result result = cli.secretOnStdin(tricky).run("users", "create", "ann", "--password-stdin");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(parsed(server.lastRequest("POST", "/api/v1/users").body()).path("password").asText()).isEqualTo(tricky);
    }

    @Test
    void createAdminWithoutPasswordSendsNoPasswordField() {
        CliRunner.Result result = cli.run("users", "create", "root-ops", "--admin", "--no-password");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(parsed(server.lastRequest("POST", "/api/v1/users").body()))
                .isEqualTo(json("{'name':'root-ops','admin':true}"));
        assertThat(result.stderr()).contains("created admin user root-ops");
    }

    @Test
    void createPromptsTwiceOnTheTerminalAndWipesWhatWasTyped() {
        FakeTerminal terminal = new FakeTerminal().answer(PASSWORD, PASSWORD);

        CliRunner.Result result = cli.terminal(terminal).secret(PASSWORD).run("users", "create", "ann");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(terminal.prompts()).containsExactly("Password for ann: ", "Repeat the password for ann: ");
        assertThat(parsed(server.lastRequest("POST", "/api/v1/users").body()).path("password").asText()).isEqualTo(PASSWORD);
        assertThat(terminal.everyPasswordWiped()).isTrue();
    }

    @Test
    void createRefusesTwoDifferentTypedPasswordsAndSendsNothing() {
        CliRunner.Result result = cli.terminal(new FakeTerminal().answer(PASSWORD, PASSWORD + "x")).secret(PASSWORD)
                .run("users", "create", "ann");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("do not match");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void createWithoutTerminalOrPasswordStdinIsAUsageErrorBeforeAnyRequest() {
        CliRunner.Result result = cli.run("users", "create", "ann");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--password-stdin").contains("--no-password");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void createRefusesAShortPasswordWithoutSendingIt() {
        CliRunner.Result result = cli.secretOnStdin("short-pw").run("users", "create", "ann", "--password-stdin");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("at least 12 characters");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void createRefusesABadNameAsAUsageError() {
        CliRunner.Result result = cli.run("users", "create", "ann smith", "--no-password");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("must be 1 to 64 of the characters");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void passwordStdinAndTokenFromStdinTogetherAreRefused() {
        CliRunner.Result result = new CliRunner(home).env("CASTELLAN_SERVER", server.url())
                .env("CASTELLAN_SERVER_FINGERPRINT", server.fingerprint()).stdin("tok\n")
                .run("users", "create", "ann", "--password-stdin", "--token", "-");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("both read standard input");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void createWithJsonOutputPrintsTheServerAnswer() {
        CliRunner.Result result = cli.secretOnStdin(PASSWORD).run("users", "create", "ann", "--password-stdin", "-o", "json");

        assertThat(parsed(result.stdout())).isEqualTo(parsed(CREATED));
    }

    @Test
    void listFollowsTheNextCursorAndPrintsOneTable() {
        server.respond("GET", "/api/v1/users", Map.of(), 200,
                q("[{'id':'u-1','name':'ann','admin':true,'createdAt':'2026-11-01T00:00:00Z'}]"),
                Map.of("X-Next-Cursor", "c-2"));
        server.respond("GET", "/api/v1/users", Map.of("after", "c-2"), 200,
                q("[{'id':'u-2','name':'bob','admin':false,'disabledAt':'2026-11-20T00:00:00Z','createdAt':'2026-11-02T00:00:00Z'}]"),
                Map.of());

        CliRunner.Result result = cli.run("users", "list");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.requests()).extracting(RecordingHttpsServer.Recorded::rawQuery).containsExactly(null, "after=c-2");
        assertThat(result.stdout().lines()).containsExactly(
                "ID   NAME  ADMIN  STATUS    CREATED",
                "u-1  ann   true   active    2026-11-01T00:00:00Z",
                "u-2  bob   false  disabled  2026-11-02T00:00:00Z");
    }

    @Test
    void listWithJsonOutputPrintsEveryPageAsOneArray() {
        server.respond("GET", "/api/v1/users", Map.of(), 200, q("[{'id':'u-1'}]"), Map.of("X-Next-Cursor", "c-2"));
        server.respond("GET", "/api/v1/users", Map.of("after", "c-2"), 200, q("[{'id':'u-2'}]"), Map.of());

        CliRunner.Result result = cli.run("users", "list", "-o", "json");

        assertThat(parsed(result.stdout())).isEqualTo(json("[{'id':'u-1'},{'id':'u-2'}]"));
    }

    @Test
    void listStopsWhenTheServerRepeatsACursor() {
        server.respond("GET", "/api/v1/users", Map.of(), 200, q("[{'id':'u-1'}]"), Map.of("X-Next-Cursor", "loop"));

        CliRunner.Result result = cli.run("users", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("list users: the server sent the same page cursor twice");
    }

    @Test
    void showPrintsEveryField() {
        server.respond("GET", "/api/v1/users", 200, "[" + CREATED + "]");
        server.respond("GET", "/api/v1/users/u-1", 200, CREATED);

        CliRunner.Result result = cli.run("users", "show", "ann");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("name:").contains("ann").contains("createdAt:");
    }

    @Test
    void disableAndEnablePostToTheUsersActionPaths() {
        server.respond("GET", "/api/v1/users", 200, "[" + CREATED + "]");
        server.respond("POST", "/api/v1/users/u-1/disable", 200, CREATED);
        server.respond("POST", "/api/v1/users/99999999-0000-4000-8000-000000000001/enable", 200, CREATED);

        CliRunner.Result disabled = cli.run("users", "disable", "ann");
        CliRunner.Result enabled = cli.run("users", "enable", "99999999-0000-4000-8000-000000000001", "-o", "json");

        assertThat(disabled.exitCode()).isZero();
        assertThat(disabled.stdout()).isEqualTo("disabled user ann (id u-1)" + NL);
        assertThat(server.lastRequest("POST", "/api/v1/users/u-1/disable").body()).isEqualTo("{}");
        assertThat(parsed(enabled.stdout())).isEqualTo(parsed(CREATED));
        assertThat(server.lastRequest("POST", "/api/v1/users/99999999-0000-4000-8000-000000000001/enable").authorization()).isEqualTo("Bearer "
                + org.castellan.cli.testing.Fixtures.TOKEN);
    }

    @Test
    void resetTotpPostsToTheUsersResetPathAndSaysWhatHappened() {
        server.respond("POST", "/api/v1/users/u-1/reset-totp", 200, q("{'id':'u-1','totpReset':true,'sessionsEnded':2}"));

        CliRunner.Result result = cli.run("users", "reset-totp", "u-1");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("reset the second factor of user u-1 (2 console sessions ended)" + NL);
        assertThat(server.lastRequest("POST", "/api/v1/users/u-1/reset-totp").body()).isEqualTo("{}");
    }
}
