package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.castellan.cli.testing.Fixtures;
import org.castellan.cli.testing.RecordingHttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code castellan password get}, run as the launcher runs it (a fresh JVM, {@code Castellan},
 * settings from the config file), initialises no Jackson {@code ObjectMapper} (building the first
 * one is ~50 ms of a ~0.3 s call, docs/performance.md) and loads no picocli class (they cannot be
 * in the class-data-sharing archive: ~7 ms), and, pinned, never builds the JVM's default TLS context
 * (the system CA store read and parsed, only to be replaced by the pinned trust). The JVM's own logs of class loading and
 * initialisation say which classes were loaded and set up. An answer of another shape still prints the password, through
 * the mapper, and that run shows the log would catch a mapper.
 */
class PasswordGetBuildsNoMapperTest {
    private static final String ID = "5f0c7a9e-1d2b-4c3d-9e8f-0a1b2c3d4e5f";
    private static final String MAPPER = "Initializing 'com/fasterxml/jackson/databind/ObjectMapper'";

    @TempDir
    Path home;

    private RecordingHttpsServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new RecordingHttpsServer();
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device(ID, "web01") + "]");
        Path config = Files.createDirectories(home.resolve(".config/castellan")).resolve("config.json");
        Files.writeString(config, "{\"server\":\"" + server.url() + "\",\"serverFingerprint\":\"" + server.fingerprint()
                + "\",\"token\":\"" + Fixtures.TOKEN + "\"}");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void theServersAnswerIsReadWithoutAMapper() throws Exception {
        server.respond("GET", "/api/v1/devices/" + ID + "/password", 200, "{\"deviceId\":\"" + ID + "\",\"hostname\":\"web01\","
                + "\"account\":\"root\",\"password\":\"s3cret \\\"pw\\\"\",\"rotationId\":\"r-1\","
                + "\"rotatedAt\":\"2026-11-20T08:00:00Z\",\"expiresAt\":null,\"pending\":[]}");

        Run run = passwordGet();

        assertThat(run.stdout()).isEqualTo("s3cret \"pw\"" + System.lineSeparator());
        assertThat(run.exitCode()).isZero();
        assertThat(server.lastRequest("GET", "/api/v1/devices/" + ID + "/password").query()).containsEntry("reason", "probe");
        assertThat(run.initialised()).contains("Initializing 'org/castellan/cli/commands/PasswordRevealReader'")
                .doesNotContain(MAPPER);
        assertThat(run.loaded()).contains("org.castellan.cli.commands.PasswordGetFastPath ").doesNotContain("picocli.");
        assertThat(run.loaded()).as("pinned: the JVM's default TLS context (the system CA store parsed) is never built")
                .contains("sun.security.ssl.SSLContextImpl$TLSContext ")
                .doesNotContain("sun.security.ssl.SSLContextImpl$DefaultSSLContext ")
                .doesNotContain("sun.security.ssl.TrustStoreManager ")
                .doesNotContain("okhttp3.");
    }

    @Test
    void anAnswerOfAnotherShapeIsReadByTheMapper() throws Exception {
        // A time stamp with an offset: valid, but not the spelling the streaming reader takes.
        server.respond("GET", "/api/v1/devices/" + ID + "/password", 200, "{\"deviceId\":\"" + ID + "\",\"hostname\":\"web01\","
                + "\"account\":\"root\",\"password\":\"s3cret\",\"rotatedAt\":\"2026-11-20T09:00:00+01:00\"}");

        Run run = passwordGet();

        assertThat(run.stdout()).isEqualTo("s3cret" + System.lineSeparator());
        assertThat(run.exitCode()).isZero();
        assertThat(run.initialised()).contains(MAPPER);
    }

    private record Run(int exitCode, String stdout, String initialised, String loaded) {}

    private Run passwordGet() throws Exception {
        Path log = home.resolve("class-init.log");
        Path loads = home.resolve("class-load.log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "-Duser.home=" + home, "-Xlog:class+init=info:file=" + log,
                "-Xlog:class+load=info:file=" + loads, Castellan.class.getName(),
                "password", "get", "web01", "--reason", "probe"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().keySet().removeIf(name -> name.startsWith("CASTELLAN_"));
        Process process = builder.start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), stdout, Files.readString(log), Files.readString(loads));
    }
}
