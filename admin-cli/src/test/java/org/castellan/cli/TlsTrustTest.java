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

/** Exit code 3 for every failure to reach the server, saying whether the pinned fingerprint was the cause. */
class TlsTrustTest {
    @TempDir
    Path home;

    private RecordingHttpsServer server;

    @BeforeEach
    void startServer() {
        server = new RecordingHttpsServer();
        server.respond("GET", "/api/v1/devices", 200, "[]");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void pinnedFingerprintInAnyCommonFormIsTrusted() {
        String colonsUpper = server.fingerprint().toUpperCase().replaceAll("(..)(?!$)", "$1:");

        CliRunner.Result result = Fixtures.runnerFor(server, home).run("--server-fingerprint", colonsUpper, "devices", "list");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }

    @Test
    void wrongPinnedFingerprintFailsWithExitCode3AndSaysSo() {
        String wrong = "ab".repeat(32);

        CliRunner.Result result = Fixtures.runnerFor(server, home).run("--server-fingerprint", wrong, "devices", "list");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).startsWith("castellan: list devices: TLS failure")
                .contains("does not match the pinned fingerprint").contains(wrong).contains(server.fingerprint());
        assertThat(server.requests()).as("nothing, token included, reached the server").isEmpty();
    }

    @Test
    void selfSignedServerWithoutPinningFailsWithAHintToPin() {
        CliRunner.Result result = new CliRunner(home).secret(Fixtures.TOKEN).env("CASTELLAN_TOKEN", Fixtures.TOKEN)
                .run("--server", server.url(), "devices", "list");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("TLS failure").contains("--server-fingerprint");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void unreachableServerFailsWithExitCode3() {
        String port = server.url().replaceAll(".*:", "");
        server.close();

        CliRunner.Result result = Fixtures.runnerFor(server, home).run("devices", "list");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).startsWith("castellan: list devices: cannot connect to https://127.0.0.1:" + port);
    }

    @Test
    void malformedFingerprintIsRejectedBeforeConnecting() {
        CliRunner.Result result = Fixtures.runnerFor(server, home).run("--server-fingerprint", "abc", "devices", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("server fingerprint 'abc' is not valid");
        assertThat(server.requests()).isEmpty();
    }
}
