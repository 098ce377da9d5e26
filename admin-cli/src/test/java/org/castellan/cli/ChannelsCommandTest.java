package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.FakeTerminal;
import org.castellan.cli.testing.ServerTestBase;
import org.junit.jupiter.api.Test;

/** channels: create (secret from stdin or terminal), list, delete. */
class ChannelsCommandTest extends ServerTestBase {
    private static final String SECRET = "whsec_9f8e7d6c5b4a-hmac";
    private static final String CHANNEL = q("{'id':'c-1','name':'secops','type':'webhook','url':'https://hooks.example/castellan'}");

    @Test
    void createSendsTheSecretFromStdinInTheBodyOnlyAndPrintsTheId() {
        server.respond("POST", "/api/v1/channels", 201, CHANNEL);

        CliRunner.Result result = cli.secretOnStdin(SECRET).run("channels", "create", "secops", "--url",
                "https://hooks.example/castellan", "--secret-stdin");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(parsed(server.lastRequest("POST", "/api/v1/channels").body())).isEqualTo(json(
                "{'name':'secops','type':'webhook','url':'https://hooks.example/castellan','secret':'" + SECRET + "'}"));
        assertThat(server.lastRequest("POST", "/api/v1/channels").rawQuery()).isNull();
        assertThat(result.stdout()).isEqualTo("c-1" + NL);
    }

    @Test
    void createAsksForTheSecretTwiceOnATerminal() {
        server.respond("POST", "/api/v1/channels", 201, CHANNEL);
        FakeTerminal terminal = new FakeTerminal().answer(SECRET, SECRET);

        CliRunner.Result result = cli.terminal(terminal).secret(SECRET).run("channels", "create", "secops", "--url",
                "https://hooks.example/castellan");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(terminal.prompts()).hasSize(2);
        assertThat(terminal.everyPasswordWiped()).isTrue();
    }

    @Test
    void createWithoutSecretSourceOrWithCredentialsInTheUrlIsRefused() {
        CliRunner.Result noSecret = cli.run("channels", "create", "x", "--url", "https://hooks.example/");
        CliRunner.Result credentials = cli.secretOnStdin(SECRET).run("channels", "create", "x", "--url",
                "https://user:pw@hooks.example/", "--secret-stdin");

        assertThat(noSecret.exitCode()).isEqualTo(2);
        assertThat(noSecret.stderr()).contains("--secret-stdin");
        assertThat(credentials.exitCode()).isEqualTo(2);
        assertThat(credentials.stderr()).contains("must not hold a user name or password");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void listAndDelete() {
        server.respond("GET", "/api/v1/channels", 200, "[" + CHANNEL + "]");
        server.respond("DELETE", "/api/v1/channels/c-1", 204, "");

        CliRunner.Result list = cli.run("channels", "list");
        CliRunner.Result delete = cli.run("channels", "delete", "secops");

        assertThat(list.stdout().lines()).containsExactly(
                "ID   NAME    TYPE     URL",
                "c-1  secops  webhook  https://hooks.example/castellan");
        assertThat(delete.stdout()).isEqualTo("deleted channel secops (id c-1)" + NL);
    }
}
