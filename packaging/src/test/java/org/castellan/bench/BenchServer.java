package org.castellan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.castellan.e2e.ServerProcess;

/**
 * The real castellan-server jar on loopback (the end-to-end tests' {@link ServerProcess}), with a
 * config file that lifts the reveal and registration rate limits (a benchmark from one address
 * would otherwise measure the limiter) and optional JVM options (e.g. a JFR recording).
 */
final class BenchServer implements AutoCloseable {
    private final Path dataDir;
    private final ServerProcess server;

    BenchServer(Path dataDir) {
        this.dataDir = dataDir;
        this.server = new ServerProcess(dataDir);
    }

    /** The server's JVM as it ships, not the tests' quick-start flags: for figures that are the product's. */
    BenchServer withDefaultJit() {
        server.withDefaultJit();
        return this;
    }

    /** {@code stderr}: where the server's log goes (kept with the results). */
    BenchServer start(List<String> jvmOptions, Path stderr) throws Exception {
        return start(jvmOptions, List.of(), stderr);
    }

    /** {@code serveArgs}: more {@code serve} arguments, e.g. {@code --database URL --database-password-file FILE}. */
    BenchServer start(List<String> jvmOptions, List<String> serveArgs, Path stderr) throws Exception {
        Path config = dataDir.getParent().resolve("bench-config.json");
        Files.writeString(config, "{\"revealLimits\":\"1000000/minute\",\"registrationLimits\":\"1000000/minute\"}");
        List<String> args = new java.util.ArrayList<>(List.of("--config", config.toString()));
        args.addAll(serveArgs);
        server.start(jvmOptions, args, stderr);
        return this;
    }

    Path dataDir() {
        return dataDir;
    }

    String url() {
        return server.url();
    }

    String fingerprint() {
        return server.fingerprint();
    }

    long pid() {
        return server.pid();
    }

    String adminToken() throws IOException {
        return server.adminToken();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
