package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.Fixtures;
import org.castellan.cli.testing.RecordingHttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Where server, token and fingerprint come from: flag, then environment, then config file. */
class ConnectionSettingsTest {
    private static final String CONFIG_TOKEN = "config-t0ken-secret";
    private static final String ENV_TOKEN = "env-t0ken-secret";
    private static final String FILE_TOKEN = "file-t0ken-secret";
    private static final String DEAD_SERVER = "https://127.0.0.1:1";
    private static final String WRONG_FINGERPRINT = "00".repeat(32);

    @TempDir
    Path home;

    private RecordingHttpsServer server;

    @BeforeEach
    void startServer() {
        server = new RecordingHttpsServer();
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device("d1", "web01") + "]");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private CliRunner cli() {
        return new CliRunner(home).secret(CONFIG_TOKEN).secret(ENV_TOKEN).secret(FILE_TOKEN);
    }

    private Path defaultConfig(String json, String mode) throws IOException {
        Path dir = Files.createDirectories(home.resolve(".config/castellan"));
        return writeFile(dir.resolve("config.json"), json, mode);
    }

    private static Path writeFile(Path file, String content, String mode) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private String configJson(String serverUrl, String token, String fingerprint) {
        return "{\"server\":\"" + serverUrl + "\",\"token\":\"" + token + "\",\"serverFingerprint\":\"" + fingerprint + "\"}";
    }

    private String tokenSeen() {
        return server.lastRequest("GET", "/api/v1/devices").authorization();
    }

    @Test
    void configFileAloneIsEnough() throws IOException {
        defaultConfig(configJson(server.url(), CONFIG_TOKEN, server.fingerprint()), "rw-------");

        CliRunner.Result result = cli().run("devices", "list");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(tokenSeen()).isEqualTo("Bearer " + CONFIG_TOKEN);
    }

    @Test
    void environmentBeatsConfigFile() throws IOException {
        defaultConfig(configJson(DEAD_SERVER, CONFIG_TOKEN, WRONG_FINGERPRINT), "rw-------");

        CliRunner.Result result = cli().env("CASTELLAN_SERVER", server.url()).env("CASTELLAN_TOKEN", ENV_TOKEN)
                .env("CASTELLAN_SERVER_FINGERPRINT", server.fingerprint()).run("devices", "list");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(tokenSeen()).isEqualTo("Bearer " + ENV_TOKEN);
    }

    @Test
    void flagsBeatEnvironmentAndConfigFile() throws IOException {
        defaultConfig(configJson(DEAD_SERVER, CONFIG_TOKEN, WRONG_FINGERPRINT), "rw-------");
        Path tokenFile = writeFile(home.resolve("token"), FILE_TOKEN + "\n", "rw-------");

        CliRunner.Result result = cli().env("CASTELLAN_SERVER", DEAD_SERVER).env("CASTELLAN_TOKEN", ENV_TOKEN)
                .env("CASTELLAN_SERVER_FINGERPRINT", WRONG_FINGERPRINT)
                .run("--server", server.url(), "--token-file", tokenFile.toString(),
                        "--server-fingerprint", server.fingerprint(), "devices", "list");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(tokenSeen()).isEqualTo("Bearer " + FILE_TOKEN);
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void configFileNamedByEnvironmentIsUsed() throws IOException {
        Path config = writeFile(home.resolve("elsewhere.json"),
                configJson(server.url(), CONFIG_TOKEN, server.fingerprint()), "rw-------");

        CliRunner.Result result = cli().env("CASTELLAN_CONFIG", config.toString()).run("devices", "list");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(tokenSeen()).isEqualTo("Bearer " + CONFIG_TOKEN);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void configFileWithATokenReadableByOthersIsRefused() throws IOException {
        Path config = defaultConfig(configJson(server.url(), CONFIG_TOKEN, server.fingerprint()), "rw-r--r--");

        CliRunner.Result result = cli().run("devices", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("refusing to read config file " + config)
                .contains("readable by group or others").contains("chmod 600 " + config);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void configFileWithoutATokenMayBeReadableByOthers() throws IOException {
        defaultConfig("{\"server\":\"" + server.url() + "\",\"serverFingerprint\":\"" + server.fingerprint() + "\"}",
                "rw-r--r--");

        CliRunner.Result result = cli().env("CASTELLAN_TOKEN", ENV_TOKEN).run("devices", "list");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(tokenSeen()).isEqualTo("Bearer " + ENV_TOKEN);
    }

    @Test
    void configFileWithAnUnknownKeyIsAnError() throws IOException {
        defaultConfig("{\"sever\":\"" + server.url() + "\"}", "rw-------");

        CliRunner.Result result = cli().env("CASTELLAN_TOKEN", ENV_TOKEN).run("devices", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("unknown key 'sever'");
    }

    @Test
    void namedConfigFileThatDoesNotExistIsAnError() {
        CliRunner.Result result = cli().run("--config", home.resolve("missing.json").toString(), "devices", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("missing.json does not exist");
    }

    @Test
    void tokenDashIsReadFromStandardInput() {
        CliRunner.Result result = cli().stdin(FILE_TOKEN + "\n")
                .run("--server", server.url(), "--server-fingerprint", server.fingerprint(), "--token", "-",
                        "devices", "list");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(tokenSeen()).isEqualTo("Bearer " + FILE_TOKEN);
        assertThat(result.stderr()).as("no warning for a token from stdin").isEmpty();
    }

    @Test
    void literalTokenFlagWorksButWarnsAboutTheProcessList() {
        CliRunner.Result result = cli().run("--server", server.url(), "--server-fingerprint", server.fingerprint(),
                "--token", FILE_TOKEN, "devices", "list");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(tokenSeen()).isEqualTo("Bearer " + FILE_TOKEN);
        assertThat(result.stderr()).contains("warning: --token puts the token in the process list");
    }

    @Test
    void tokenAndTokenFileTogetherAreAUsageError() throws IOException {
        Path tokenFile = writeFile(home.resolve("token"), FILE_TOKEN, "rw-------");

        CliRunner.Result result = cli().run("--server", server.url(), "--token", ENV_TOKEN,
                "--token-file", tokenFile.toString(), "devices", "list");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void missingTokenSaysWhereATokenCanComeFrom() {
        CliRunner.Result result = cli().run("--server", server.url(), "devices", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("no API token given").contains("--token-file").contains("CASTELLAN_TOKEN");
        assertThat(result.stderr()).as("says where a first token is").contains("initial-admin-token")
                .contains("castellan login");
    }

    @Test
    void plainHttpServerIsRefusedBeforeTheTokenIsSent() {
        CliRunner.Result result = cli().env("CASTELLAN_TOKEN", ENV_TOKEN)
                .run("--server", "http://127.0.0.1:" + server.url().replaceAll(".*:", ""), "devices", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("must use https");
    }

    @Test
    void tokenWithWhitespaceInsideIsRefusedWithoutEchoingIt() {
        CliRunner.Result result = cli().secret("half one").env("CASTELLAN_TOKEN", "half one")
                .run("--server", server.url(), "--server-fingerprint", server.fingerprint(), "devices", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("CASTELLAN_TOKEN contains spaces");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void serverUrlGivenAsTheApiRootIsNotDoubled() {
        CliRunner.Result result = cli().env("CASTELLAN_TOKEN", ENV_TOKEN)
                .run("--server", server.url() + "/api/v1/", "--server-fingerprint", server.fingerprint(), "devices", "list");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.requests()).singleElement().extracting(RecordingHttpsServer.Recorded::path)
                .isEqualTo("/api/v1/devices");
    }

    @Test
    void tokenFileFromTheEnvironmentIsRead() throws IOException {
        Path tokenFile = writeFile(home.resolve("token"), "  " + FILE_TOKEN + "  \r\nsecond line ignored\n", "rw-------");

        CliRunner.Result result = cli().env("CASTELLAN_TOKEN_FILE", tokenFile.toString())
                .run("--server", server.url(), "--server-fingerprint", server.fingerprint(), "devices", "list");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(tokenSeen()).isEqualTo("Bearer " + FILE_TOKEN);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void tokenFileReadableByOthersWorksButWarns() throws IOException {
        Path tokenFile = writeFile(home.resolve("token"), FILE_TOKEN, "rw-r-----");

        CliRunner.Result result = cli().run("--server", server.url(), "--server-fingerprint", server.fingerprint(),
                "--token-file", tokenFile.toString(), "devices", "list");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("warning: token file " + tokenFile + " is readable by group or others");
    }

    @Test
    void emptyStandardInputForTokenDashIsAnError() {
        CliRunner.Result result = cli().stdin("\n").run("--server", server.url(), "--token", "-", "devices", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("no token in standard input");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aNewUserWithoutServerIsToldWhereTheUrlAndTheFirstTokenComeFrom() {
        CliRunner.Result result = new CliRunner(home).run("devices", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("no server given").contains("--server URL")
                .contains("castellan-server printed at start-up");
        assertThat(new CliRunner(home).run("--help").stdout().replaceAll("\\s+", "")).as("the help's first steps")
                .contains("DATA/initial-admin-token").contains("CASTELLAN_TOKEN_FILE=DATA/initial-admin-token");
    }
}
