package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.FakeTerminal;
import org.castellan.cli.testing.RecordingHttpsServer;
import org.castellan.cli.testing.ServerTestBase;
import org.junit.jupiter.api.Test;

/** tokens create/list/revoke and login. */
class TokensAndLoginTest extends ServerTestBase {
    private static final String NEW_TOKEN = "cat_n3w-t0ken-only-shown-once";
    private static final String SESSION_TOKEN = "cat_s3ssion-t0ken-12h";
    private static final String PASSWORD = "correct horse battery";

    @Test
    void tokensCreatePrintsTheTokenAloneAndSaysOnStderrItIsShownOnce() {
        server.respond("POST", "/api/v1/users/11111111-0000-4000-8000-000000000001/tokens", 201,
                q("{'id':'t-1','name':'backup','token':'" + NEW_TOKEN + "','expiresAt':'2026-12-22T10:00:00Z'}"));

        CliRunner.Result result = cli.run("tokens", "create", "--user", "11111111-0000-4000-8000-000000000001", "--name", "backup", "--expires-in", "30d");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo(NEW_TOKEN + NL);
        assertThat(result.stderr()).contains("shown only this once").contains("t-1").doesNotContain(NEW_TOKEN);
        assertThat(parsed(server.lastRequest("POST", "/api/v1/users/11111111-0000-4000-8000-000000000001/tokens").body()))
                .isEqualTo(json("{'name':'backup','expiresAt':'2026-12-22T10:00:00Z'}"));
    }

    @Test
    void tokensCreateWithAnAbsoluteExpiryAndNoneSendsWhatWasGiven() {
        server.respond("POST", "/api/v1/users/11111111-0000-4000-8000-000000000001/tokens", 201, q("{'id':'t-1','name':'x','token':'" + NEW_TOKEN + "'}"));

        cli.run("tokens", "create", "--user", "11111111-0000-4000-8000-000000000001", "--name", "x", "--expires-at", "2027-01-01");
        assertThat(parsed(server.lastRequest("POST", "/api/v1/users/11111111-0000-4000-8000-000000000001/tokens").body()))
                .isEqualTo(json("{'name':'x','expiresAt':'2027-01-01T00:00:00Z'}"));

        CliRunner.Result result = cli.run("tokens", "create", "--user", "11111111-0000-4000-8000-000000000001", "--name", "x");
        assertThat(parsed(server.lastRequest("POST", "/api/v1/users/11111111-0000-4000-8000-000000000001/tokens").body())).isEqualTo(json("{'name':'x'}"));
        assertThat(result.stderr()).contains("expires never");
    }

    @Test
    void tokensCreateNeedsAUser() {
        CliRunner.Result result = cli.run("tokens", "create", "--name", "x");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--user");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void tokensListPrintsTheTokensWithoutValues() {
        server.respond("GET", "/api/v1/users/11111111-0000-4000-8000-000000000001/tokens", 200, q("[{'id':'t-1','name':'backup','createdAt':'2026-11-01T00:00:00Z',"
                + "'expiresAt':null,'lastUsedAt':'2026-11-21T00:00:00Z','revokedAt':null}]"));

        CliRunner.Result result = cli.run("tokens", "list", "--user", "11111111-0000-4000-8000-000000000001");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().lines()).containsExactly(
                "ID   NAME    CREATED               EXPIRES  LAST USED             REVOKED",
                "t-1  backup  2026-11-01T00:00:00Z  -        2026-11-21T00:00:00Z  -");
    }

    @Test
    void tokensRevokePostsToTheTokenRevokePath() {
        server.respond("POST", "/api/v1/tokens/99999999-0000-4000-8000-000000000001/revoke", 200, "");

        CliRunner.Result result = cli.run("tokens", "revoke", "99999999-0000-4000-8000-000000000001");
        CliRunner.Result json = cli.run("tokens", "revoke", "99999999-0000-4000-8000-000000000001", "-o", "json");

        assertThat(result.stdout()).isEqualTo("revoked token 99999999-0000-4000-8000-000000000001" + NL);
        assertThat(parsed(json.stdout())).isEqualTo(json("{'id':'99999999-0000-4000-8000-000000000001','revoked':true}"));
        assertThat(server.requests()).extracting(RecordingHttpsServer.Recorded::method).containsOnly("POST");
    }

    @Test
    void loginSendsNameAndPasswordFromStdinWithoutAnyTokenAndPrintsTheSessionToken() {
        server.respond("POST", "/api/v1/sessions", 201, q("{'token':'" + SESSION_TOKEN + "','expiresAt':'2026-11-22T22:00:00Z'}"));

        CliRunner.Result result = cli.secretOnStdin(PASSWORD).run("login", "--name", "ann", "--password-stdin");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        RecordingHttpsServer.Recorded post = server.lastRequest("POST", "/api/v1/sessions");
        assertThat(post.authorization()).isNull();
        assertThat(parsed(post.body())).isEqualTo(json("{'name':'ann','password':'" + PASSWORD + "'}"));
        assertThat(result.stderr()).contains("2026-11-22T22:00:00Z").doesNotContain(SESSION_TOKEN);
    }

    @Test
    void loginPrintsOnlyTheSessionTokenOnStdout() {
        server.respond("POST", "/api/v1/sessions", 201, q("{'token':'" + SESSION_TOKEN + "','expiresAt':'2026-11-22T22:00:00Z'}"));

        CliRunner.Result result = cli.secretOnStdin(PASSWORD).run("login", "--name", "ann", "--password-stdin");

        assertThat(result.stdout()).isEqualTo(SESSION_TOKEN + NL);
    }

    @Test
    void loginWorksWithoutAnyConfiguredToken() {
        server.respond("POST", "/api/v1/sessions", 201, q("{'token':'" + SESSION_TOKEN + "'}"));
        CliRunner noToken = new CliRunner(home).env("CASTELLAN_SERVER", server.url())
                .env("CASTELLAN_SERVER_FINGERPRINT", server.fingerprint()).secretOnStdin(PASSWORD);

        CliRunner.Result result = noToken.run("login", "--name", "ann", "--password-stdin");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo(SESSION_TOKEN + NL);
    }

    @Test
    void loginPromptsOnTheTerminalOnce() {
        server.respond("POST", "/api/v1/sessions", 201, q("{'token':'" + SESSION_TOKEN + "'}"));
        FakeTerminal terminal = new FakeTerminal().answer(PASSWORD);

        CliRunner.Result result = cli.terminal(terminal).secret(PASSWORD).run("login", "--name", "ann");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(terminal.prompts()).containsExactly("Password for ann: ");
        assertThat(terminal.everyPasswordWiped()).isTrue();
    }

    @Test
    void lockedOutLoginPrintsTheRetryAfterSeconds() {
        server.respond("POST", "/api/v1/sessions", Map.of(), 429,
                q("{'error':'locked-out','message':'too many failed logins'}"), Map.of("Retry-After", "900"));

        CliRunner.Result result = cli.secretOnStdin(PASSWORD).run("login", "--name", "ann", "--password-stdin");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("castellan: log in as ann: too many failed logins (locked-out, HTTP 429);"
                + " retry after 900 seconds" + NL);
    }

    @Test
    void loginWithoutTerminalOrPasswordStdinIsAUsageError() {
        CliRunner.Result result = cli.run("login", "--name", "ann");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--password-stdin");
        assertThat(server.requests()).isEmpty();
    }
}
