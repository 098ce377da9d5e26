package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.Fixtures;
import org.castellan.cli.testing.RecordingHttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** Server errors become {@code castellan: <context>: <message> (<code>, HTTP <status>)} and exit code 1. */
class ServerErrorsTest {
    @TempDir
    Path home;

    private RecordingHttpsServer server;

    @BeforeEach
    void startServer() {
        server = new RecordingHttpsServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource({
        "401, unauthenticated, token is unknown or expired",
        "403, forbidden, you may not read passwords of this device",
        "404, unknown-device, no such device",
    })
    void errorStatusIsPrintedWithContextCodeAndStatus(int status, String code, String message) {
        server.respond("GET", "/api/v1/devices/44444444-0000-4000-8000-000000000007", status, "{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}");

        CliRunner.Result result = Fixtures.runnerFor(server, home).run("devices", "show", "44444444-0000-4000-8000-000000000007");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("castellan: show device 44444444-0000-4000-8000-000000000007: " + message + " (" + code + ", HTTP " + status
                + ")" + System.lineSeparator());
    }

    @ParameterizedTest
    @CsvSource({
        "7, '; retry after 7 seconds'",
        "1, '; retry after 1 second'",
        "'Wed, 21 Oct 2026 07:28:00 GMT', '; retry after Wed, 21 Oct 2026 07:28:00 GMT'",
        "'<script>', ''",
    })
    void rateLimitedNamesWhenToRetryFromRetryAfter(String retryAfter, String hint) {
        server.respond("GET", "/api/v1/users", java.util.Map.of(), 429,
                "{\"error\":\"rate-limited\",\"message\":\"slow down\"}", java.util.Map.of("Retry-After", retryAfter));

        CliRunner.Result result = Fixtures.runnerFor(server, home).run("users", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("castellan: list users: slow down (rate-limited, HTTP 429)" + hint
                + System.lineSeparator());
    }

    @Test
    void withJsonOutputAServerErrorIsTheJsonErrorObjectOnStderr() throws Exception {
        server.respond("GET", "/api/v1/users", 403, "{\"error\":\"forbidden\",\"message\":\"admins only\"}");

        CliRunner.Result result = Fixtures.runnerFor(server, home).run("-o", "json", "users", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        com.fasterxml.jackson.databind.JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.stderr());
        assertThat(error.get("error").asText()).isEqualTo("forbidden");
        assertThat(error.get("message").asText()).isEqualTo("list users: admins only (forbidden, HTTP 403)");
        assertThat(result.stderr().strip().lines()).hasSize(1);
    }

    @Test
    void withJsonOutputAUsageErrorIsJsonToo() throws Exception {
        CliRunner.Result result = Fixtures.runnerFor(server, home).run("users", "list", "--no-such-flag", "--output=json");

        assertThat(result.exitCode()).isEqualTo(2);
        com.fasterxml.jackson.databind.JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.stderr());
        assertThat(error.get("error").asText()).isEqualTo("usage");
        assertThat(error.get("message").asText()).contains("--no-such-flag");
    }

    @Test
    void withJsonOutputAConnectionFailureIsJsonWithExitCode3() throws Exception {
        CliRunner.Result result = new CliRunner(home).env("CASTELLAN_SERVER", "https://127.0.0.1:1")
                .env("CASTELLAN_TOKEN", "cat_x").run("-o", "json", "users", "list");

        assertThat(result.exitCode()).isEqualTo(3);
        com.fasterxml.jackson.databind.JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.stderr());
        assertThat(error.get("error").asText()).isEqualTo("connection-failed");
        assertThat(error.get("message").asText()).contains("cannot connect");
    }

    @Test
    void forbiddenOnAnAdminOnlyResourceIsPrintedWithContext() {
        server.respond("POST", "/api/v1/user-groups", 403, "{\"error\":\"forbidden\",\"message\":\"admins only\"}");

        CliRunner.Result result = Fixtures.runnerFor(server, home).run("groups", "create", "ops");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("castellan: create user group ops: admins only (forbidden, HTTP 403)"
                + System.lineSeparator());
    }

    @Test
    void errorWithoutAJsonBodyStillNamesTheStatus() {
        server.respond("GET", "/api/v1/registration-keys", 502, "<html>bad gateway</html>");

        CliRunner.Result result = Fixtures.runnerFor(server, home).run("registration-keys", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("castellan: list registration keys: ").contains("(http-error, HTTP 502)");
    }

    @Test
    void answerThatIsNotJsonDoesNotQuoteTheBody() {
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device("d1", "web01") + "]");
        server.respond("GET", "/api/v1/devices/d1/password", 200, "{\"password\": \"leaky-secret\", oops}");

        CliRunner.Result result = Fixtures.runnerFor(server, home).secret("leaky-secret").run("password", "get", "web01");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("get password for web01: the server's answer (HTTP 200) is not the JSON");
    }

    @Test
    void aPostWhoseAnswerNeverCameIsNotSentAgain() {
        // A registration key made twice would be a second valid key nobody was shown.
        server.dropConnection("POST", "/api/v1/registration-keys");

        CliRunner.Result result = Fixtures.runnerFor(server, home).run("registration-keys", "create", "--name", "laptops");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(3);
        assertThat(result.stderr()).startsWith("castellan: create registration key 'laptops': ");
        assertThat(server.requests()).as("the request went out exactly once").hasSize(1);
    }

    @Test
    void aReadWhoseAnswerNeverCameFailsWithExitCode3() {
        server.dropConnection("GET", "/api/v1/devices");

        CliRunner.Result result = Fixtures.runnerFor(server, home).run("devices", "list");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(3);
        assertThat(result.stderr()).startsWith("castellan: list devices: ").doesNotContain("Exception");
        assertThat(server.requests()).as("a read may be tried again once, never more").hasSizeBetween(1, 2);
    }
}
