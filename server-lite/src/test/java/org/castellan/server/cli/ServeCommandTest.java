package org.castellan.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.castellan.protocol.tls.PinnedTrust;
import org.castellan.server.testing.SqliteOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@code castellan-server serve} as a real process: what it prints and what it creates. */
@DisabledOnOs(OS.WINDOWS)
@SqliteOnly("serve's defaults: the embedded database a first start creates in DIR (--database is DatabaseConfigurationTest's)")
class ServeCommandTest {
    private static final Pattern LISTENING = Pattern.compile("Castellan server listening on https://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern FINGERPRINT = Pattern.compile("TLS certificate SHA-256 fingerprint: ([0-9a-f]{64})");
    private static final Pattern TOKEN = Pattern.compile(
            "Initial admin token \\(shown once; also in (.+)/initial-admin-token\\): (cat_[A-Za-z0-9_-]{43})");

    @TempDir
    Path dataDir;

    @Test
    void firstStartCreatesPrivateFilesAndPrintsTokenOnceAndRestartKeepsIdentity() throws Exception {
        Started first = serve(3);
        List<String> lines = first.lines;
        assertThat(lines).hasSize(3);
        Matcher listening = LISTENING.matcher(lines.get(0));
        assertThat(listening.matches()).as(lines.get(0)).isTrue();
        Matcher fingerprint = FINGERPRINT.matcher(lines.get(1));
        assertThat(fingerprint.matches()).as(lines.get(1)).isTrue();
        Matcher token = TOKEN.matcher(lines.get(2));
        assertThat(token.matches()).as("token line").isTrue();
        assertThat(Path.of(token.group(1))).isEqualTo(dataDir);
        assertThat(Files.readString(dataDir.resolve("initial-admin-token")).trim()).isEqualTo(token.group(2));

        assertThat(healthz(Integer.parseInt(listening.group(1)), fingerprint.group(1))).isEqualTo(200);
        String vaultKeyBefore = Files.readString(dataDir.resolve("vault/current"));
        first.stop();

        assertThat(Files.exists(dataDir.resolve("castellan.db"))).isTrue();
        try (Stream<Path> walk = Files.walk(dataDir)) {
            for (Path path : walk.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
                if (Files.isDirectory(path)) {
                    if (!path.equals(dataDir)) {
                        assertThat(mode).as(path.toString()).isEqualTo("rwx------");
                    }
                } else {
                    assertThat(mode).as(path.toString()).isEqualTo("rw-------");
                }
            }
        }
        assertThat(Files.list(dataDir.resolve("vault")).map(p -> p.getFileName().toString()))
                .anyMatch(name -> name.startsWith("vk-") && name.endsWith(".key"));

        Started second = serve(3);
        assertThat(second.stop()).doesNotContain("Initial admin token");
        assertThat(second.lines).hasSize(3);
        assertThat(second.lines.get(1)).isEqualTo(lines.get(1));
        assertThat(second.lines.get(2)).as("the token is not printed again, but where it is, is")
                .isEqualTo("Initial admin token not shown again; it is still in " + dataDir.resolve("initial-admin-token")
                        + " (delete the file once the token is kept elsewhere)");
        assertThat(Files.readString(dataDir.resolve("vault/current"))).isEqualTo(vaultKeyBefore);
    }

    @Test
    void badListenAddressIsRefusedBeforeAnythingIsCreated() throws Exception {
        Process process = java("serve", "--data", dataDir.resolve("d").toString(), "--listen", "nonsense");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("HOST:PORT");
        assertThat(dataDir.resolve("d")).doesNotExist();
    }

    @Test
    void aPortInUseIsOneLineThatSaysWhatToDoAndWhereTheTokenIs() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Path data = dataDir.resolve("first");
            Process process = java("serve", "--data", data.toString(), "--listen", "127.0.0.1:" + taken.getLocalPort());
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(err.lines()).as(err).containsExactly(
                    "castellan-server: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": the address is already in use"
                            + " (another castellan-server running?); stop that process or choose another address with"
                            + " --listen HOST:PORT",
                    "Initial admin token not shown again; it is still in " + data.resolve("initial-admin-token")
                            + " (delete the file once the token is kept elsewhere)");
        }
    }

    private record Started(Process process, Thread reader, StringBuffer rest, List<String> lines) {
        /** Stops the server and returns whatever else it printed. */
        String stop() throws InterruptedException {
            process.destroy(); // SIGTERM: the shutdown hook drains and closes the database
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            return rest.toString();
        }
    }

    private Started serve(int expectedLines) throws IOException {
        Process process = java("serve", "--data", dataDir.toString(), "--listen", "127.0.0.1:0");
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (lines.size() == expectedLines) {
                break;
            }
        }
        StringBuffer rest = new StringBuffer();
        Thread reader = new Thread(() -> {
            try {
                String more;
                while ((more = out.readLine()) != null) {
                    rest.append(more).append('\n');
                }
            } catch (IOException e) {
                rest.append("(output closed)");
            }
        });
        reader.start();
        return new Started(process, reader, rest, lines);
    }

    private static Process java(String... args) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ServerMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
    }

    private static int healthz(int port, String fingerprint) throws IOException {
        PinnedTrust trust = PinnedTrust.pinned(fingerprint);
        OkHttpClient client = new OkHttpClient.Builder().sslSocketFactory(trust.socketFactory(), trust.trustManager())
                .hostnameVerifier((h, s) -> true).build();
        try (Response response = client.newCall(new Request.Builder().url("https://127.0.0.1:" + port + "/healthz").build()).execute()) {
            return response.code();
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}
