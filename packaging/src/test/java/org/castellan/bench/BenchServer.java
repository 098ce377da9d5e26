package org.castellan.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real castellan-server jar on loopback, with a config file that lifts the reveal and
 * registration rate limits (a benchmark from one address would otherwise measure the limiter)
 * and optional JVM options (e.g. a JFR recording), which the e2e {@code ServerProcess} does not take.
 */
final class BenchServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Castellan server listening on (https://\\S+)");
    private static final Pattern FINGERPRINT = Pattern.compile("TLS certificate SHA-256 fingerprint: ([0-9a-f]{64})");

    private final Path dataDir;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process process;
    private volatile String url;
    private volatile String fingerprint;

    BenchServer(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** {@code stderr}: where the server's log goes (kept with the results). */
    BenchServer start(List<String> jvmOptions, Path stderr) throws Exception {
        Path config = dataDir.getParent().resolve("bench-config.json");
        Files.writeString(config, "{\"revealLimits\":\"1000000/minute\",\"registrationLimits\":\"1000000/minute\"}");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString(), "serve", "--data", dataDir.toString(),
                "--listen", "127.0.0.1:0", "--config", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dataDir.getParent().toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CASTELLAN_"));
        builder.redirectError(stderr.toFile());
        process = builder.start();
        Thread reader = new Thread(this::readOutput, "bench-server-output");
        reader.setDaemon(true);
        reader.start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (url == null || fingerprint == null) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited during start:\n" + String.join("\n", output));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("server did not start in 60 s:\n" + String.join("\n", output));
            }
            Thread.sleep(50);
        }
        return this;
    }

    private static Path jar() {
        return Path.of(System.getProperty("castellan.jars", "target"), "castellan-server.jar").toAbsolutePath();
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line.startsWith("Initial admin token") ? "Initial admin token: <hidden>" : line);
                Matcher m;
                if ((m = FINGERPRINT.matcher(line)).find()) {
                    fingerprint = m.group(1);
                }
                if ((m = LISTENING.matcher(line)).find()) {
                    url = m.group(1);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    String url() {
        return url;
    }

    String fingerprint() {
        return fingerprint;
    }

    long pid() {
        return process.pid();
    }

    String adminToken() throws IOException {
        return Files.readString(dataDir.resolve("initial-admin-token")).strip();
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: graceful drain, and a JFR recording is dumped on exit
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
