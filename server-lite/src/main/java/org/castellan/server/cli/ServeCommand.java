package org.castellan.server.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.List;
import org.castellan.protocol.files.PrivateFiles;
import org.castellan.server.CastellanServer;
import org.castellan.server.files.DataDirModes;
import org.castellan.server.audit.AuditAnchorException;
import org.castellan.server.config.ConfigResolver;
import org.castellan.server.config.ServerConfig;
import org.castellan.server.users.Bootstrap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: runs the server until it is stopped (SIGTERM / Ctrl-C drain in-flight requests). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the HTTPS server.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (env CASTELLAN_DATA; default ./castellan-data).")
    String data;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Address to bind (env CASTELLAN_LISTEN; default 0.0.0.0:8443).")
    String listen;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON config file (env CASTELLAN_CONFIG).")
    String configFile;

    @Option(names = "--deleted-retention-days", paramLabel = "DAYS", description = "How long a deleted device's"
            + " passwords and recovery keys (and keys of removed volumes) stay revealable before they are purged"
            + " (env CASTELLAN_DELETED_RETENTION_DAYS, config \"deletedRetentionDays\"; default 30).")
    String deletedRetentionDays;

    @Override
    public Integer call() throws Exception {
        ServerConfig config;
        try {
            config = new ConfigResolver(System.getenv()).resolve(data, listen, configFile, deletedRetentionDays);
        } catch (IllegalArgumentException e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 2;
        }
        if (config.tlsKeystorePassword() != null) {
            // The config file holds the keystore password: it is a secret file too.
            String file = configFile != null ? configFile : System.getenv(ConfigResolver.ENV_CONFIG);
            List<PrivateFiles.Problem> problems = file == null ? List.of() : PrivateFiles.check(List.of(Path.of(file)));
            if (!problems.isEmpty()) {
                System.err.println("castellan-server: " + PrivateFiles.describe("the config file", problems));
                return 1;
            }
        }
        CastellanServer server;
        try {
            server = CastellanServer.start(config);
        } catch (DataDirModes.NotPrivate e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 1;
        } catch (AuditAnchorException e) {
            // Refuses to serve (and to anchor over the evidence) until an operator has looked.
            System.err.println("castellan-server: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "castellan-shutdown"));
        announce(System.out, server, config.dataDir());
        stopped.await();
        return 0;
    }

    /** The lines scripts and tests parse; keep them exactly so. */
    static void announce(PrintStream out, CastellanServer server, Path dataDir) {
        out.println("Castellan server listening on " + server.url());
        out.println("TLS certificate SHA-256 fingerprint: " + server.fingerprint());
        server.initialAdminToken().ifPresent(token -> out.println(
                "Initial admin token (shown once; also in " + dataDir.resolve(Bootstrap.TOKEN_FILE) + "): " + token));
        out.flush();
    }
}
