package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.castellan.cli.commands.PasswordGetFastPath;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.Fixtures;
import org.castellan.cli.testing.RecordingHttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code password get} run through its fast path prints, fails and exits exactly as through
 * picocli: the same stdout, stderr and exit code for answers, refusals and bad settings.
 */
class PasswordGetFastPathRunTest {
    private static final String ID = "5f0c7a9e-1d2b-4c3d-9e8f-0a1b2c3d4e5f";
    private static final String REVEAL = "{\"deviceId\":\"" + ID + "\",\"hostname\":\"web01\",\"account\":\"root\","
            + "\"password\":\"pw \\\"q\\\" ü\",\"rotatedAt\":\"2026-11-20T08:00:00Z\",\"pending\":[{\"rotationId\":\"r-1\","
            + "\"account\":\"root\",\"password\":\"pending-pw\",\"escrowedAt\":\"2026-11-22T09:00:00Z\"}]}";

    @TempDir
    Path home;

    private RecordingHttpsServer server;

    @BeforeEach
    void startServer() {
        server = new RecordingHttpsServer();
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device(ID, "web01") + ","
                + Fixtures.device("id-b", "web02") + "," + Fixtures.device("id-c", "web02") + "]");
        server.respond("GET", "/api/v1/devices/" + ID + "/password", 200, REVEAL);
        server.respond("GET", "/api/v1/devices/id-c/password", 403,
                "{\"error\":\"forbidden\",\"message\":\"no rule grants password.read on this device\"}");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void answersRefusalsAndBadSettingsAreTheSameWithoutPicocli() {
        List<String[]> lines = List.of(
                new String[] {"password", "get", "web01"},
                new String[] {"password", "get", "WEB01", "--reason", "ticket #42 & more"},
                new String[] {"-o", "json", "password", "get", "web01"},
                new String[] {"password", "get", "web01", "--output=wide"},
                new String[] {"password", "get", "nosuch"},
                new String[] {"password", "get", "nosuch", "-o", "json"},
                new String[] {"password", "get", "web02"},
                new String[] {"password", "get", "web02", "--device-id", "id-c"},
                new String[] {"password", "get", "web02", "--device-id", "id-c", "-o", "json"},
                new String[] {"password", "get", "web02", "--device-id=other"},
                new String[] {"--server", "http://plain.example", "password", "get", "web01"},
                new String[] {"password", "get", "web01", "--server-fingerprint", "not-hex"},
                new String[] {"password", "get", "web01", "--token", "cst_other"},
                new String[] {"password", "get", "web01", "--token", "-"},
                new String[] {"password", "get", "web01", "--token-file", "/nonexistent/token"},
                new String[] {"--config", "/nonexistent/config.json", "password", "get", "web01"});
        for (String[] args : lines) {
            assertThat(PasswordGetFastPath.run(hostFor(), args, new java.io.PrintWriter(java.io.Writer.nullWriter()),
                    new java.io.PrintWriter(java.io.Writer.nullWriter()))).as("taken: %s", List.of(args)).isNotNull();
            CliRunner.Result fast = runner().run(args);
            CliRunner.Result picocli = runner().picocliOnly().run(args);
            assertThat(fast).as("%s", List.of(args)).isEqualTo(picocli);
        }
    }

    @Test
    void aMachineWithNothingConfiguredGetsTheSameAdvice() {
        String[] args = {"password", "get", "web01"};
        CliRunner.Result fast = new CliRunner(home).run(args);
        CliRunner.Result picocli = new CliRunner(home).picocliOnly().run(args);
        assertThat(fast).isEqualTo(picocli);
        assertThat(fast.exitCode()).isEqualTo(1);
        assertThat(fast.stderr()).contains("no server given");
    }

    private Host hostFor() {
        return new Host(java.util.Map.of("CASTELLAN_SERVER", server.url(), "CASTELLAN_SERVER_FINGERPRINT",
                server.fingerprint(), "CASTELLAN_TOKEN", Fixtures.TOKEN), new java.io.ByteArrayInputStream(new byte[0]),
                home, java.time.Clock.systemUTC());
    }

    private CliRunner runner() {
        return Fixtures.runnerFor(server, home).stdin(Fixtures.TOKEN + "\n");
    }
}
