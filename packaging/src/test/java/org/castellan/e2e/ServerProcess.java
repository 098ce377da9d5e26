package org.castellan.e2e;

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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real castellan-server jar, started as its own process on an ephemeral port. */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Castellan server listening on (https://\\S+)");
    private static final Pattern FINGERPRINT = Pattern.compile("TLS certificate SHA-256 fingerprint: ([0-9a-f]{64})");
    private static final Pattern TOKEN = Pattern.compile("Initial admin token .*: (\\S+)$");
    private static final Pattern TOKEN_KEPT = Pattern.compile("Initial admin token not shown again");

    private final Path dataDir;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process process;
    private volatile String url;
    private volatile String fingerprint;
    private volatile String printedToken;
    private volatile boolean tokenFileAnnounced;
    private String listen = "127.0.0.1:0";
    private List<String> jitOptions = TestJvm.SHORT_LIVED;

    public ServerProcess(Path dataDir) {
        this.dataDir = dataDir;
    }

    /**
     * Starts the JVM with its default compilers and collector, as the server ships, instead of the
     * tests' {@link TestJvm#SHORT_LIVED} flags: for the benchmark, whose figures are the product's.
     */
    public ServerProcess withDefaultJit() {
        jitOptions = List.of();
        return this;
    }

    /** Listens on this port (a node restarted where its agents expect it) instead of an ephemeral one. */
    ServerProcess listenOn(int port) {
        listen = "127.0.0.1:" + port;
        return this;
    }

    ServerProcess start() throws Exception {
        return start(List.of(), List.of(), null);
    }

    /**
     * @param jvmOptions e.g. a JFR recording (the benchmark)
     * @param serveArgs more {@code serve} arguments, e.g. {@code --config FILE}
     * @param stderrFile where the server's log goes; null keeps it with {@link #output()}
     */
    public ServerProcess start(List<String> jvmOptions, List<String> serveArgs, Path stderrFile) throws Exception {
        url = null;
        fingerprint = null;
        printedToken = null;
        tokenFileAnnounced = false;
        Path tokenFile = dataDir.resolve("initial-admin-token");
        boolean tokenFileBefore = Files.exists(tokenFile);
        List<String> command = new ArrayList<>(List.of(TestJvm.java()));
        command.addAll(jitOptions);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", Processes.jar("castellan-server.jar").toString(),
                "serve", "--data", dataDir.toString(), "--listen", listen));
        command.addAll(serveArgs);
        process = Processes.start(command, Map.of(), dataDir.getParent(), stderrFile);
        Thread reader = new Thread(this::readOutput, "server-output");
        reader.setDaemon(true);
        reader.start();
        if (stderrFile == null) {
            Processes.drain(process.getErrorStream()).thenAccept(err -> output.add("[stderr] " + err));
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        // The banner's token line comes after the listening and fingerprint lines, and tests read
        // it (or its absence) at once: wait for the whole banner. It has a token line when this
        // start wrote the token file, a "not shown again" line when the file was there before.
        while (url == null || fingerprint == null
                || (tokenFileBefore ? !tokenFileAnnounced && Files.exists(tokenFile) : printedToken == null && Files.exists(tokenFile))) {
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

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                Matcher m;
                if ((m = TOKEN.matcher(line)).find()) {
                    printedToken = m.group(1);
                }
                if (TOKEN_KEPT.matcher(line).find()) {
                    tokenFileAnnounced = true;
                }
                if ((m = FINGERPRINT.matcher(line)).find()) {
                    fingerprint = m.group(1);
                }
                if ((m = LISTENING.matcher(line)).find()) {
                    url = m.group(1);
                }
            }
        } catch (IOException ignored) {
            // the process was killed
        }
    }

    public String url() {
        return url;
    }

    public String fingerprint() {
        return fingerprint;
    }

    String printedToken() {
        return printedToken;
    }

    /** The bootstrap admin token, from the file the first start wrote. */
    public String adminToken() throws IOException {
        return Files.readString(dataDir.resolve("initial-admin-token")).strip();
    }

    Path dataDir() {
        return dataDir;
    }

    /** Everything the server printed so far (for leak checks and failure messages). */
    String output() {
        return String.join("\n", output);
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no graceful drain — a crash. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: graceful drain (and a JFR recording is dumped on exit)
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
