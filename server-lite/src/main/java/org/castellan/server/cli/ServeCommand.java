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
import org.castellan.server.db.DatabaseOpenException;
import org.castellan.server.users.Bootstrap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: runs the server until it is stopped (SIGTERM / Ctrl-C drain in-flight requests). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = {"Run the HTTPS server.",
        "The first start creates DIR: the database, a self-signed TLS certificate, the vault keys and the initial"
                + " admin token (in DIR/initial-admin-token, printed once), and every start prints the URL and the"
                + " certificate's SHA-256 fingerprint: give both to castellan (--server, --server-fingerprint) and to"
                + " castellan-agent register."})
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

    @Option(names = {"--database", "--database-url"}, paramLabel = "URL",
            description = "postgresql://HOST:PORT/DB?user=NAME to run on PostgreSQL, shared by any number of nodes "
                    + "(env CASTELLAN_DATABASE_URL; config \"database\"; default: embedded SQLite in the data directory). "
                    + "The password never goes in the URL: see --database-password-file.")
    String database;

    @Option(names = "--database-password-file", paramLabel = "FILE",
            description = "File holding the PostgreSQL password (env CASTELLAN_DATABASE_PASSWORD_FILE, or the password "
                    + "itself in CASTELLAN_DATABASE_PASSWORD; config \"databasePasswordFile\").")
    String databasePasswordFile;

    @Option(names = "--console-idle-minutes", paramLabel = "MINUTES", description = "A web console session ends"
            + " after this long without a request (env CASTELLAN_CONSOLE_IDLE_MINUTES, config"
            + " \"console\":{\"idleMinutes\"}; default 15).")
    String consoleIdleMinutes;

    @Option(names = "--console-absolute-minutes", paramLabel = "MINUTES", description = "A web console session ends"
            + " this long after sign-in at the latest (env CASTELLAN_CONSOLE_ABSOLUTE_MINUTES, config"
            + " \"console\":{\"absoluteMinutes\"}; default 480).")
    String consoleAbsoluteMinutes;

    @Option(names = "--console-hide-secrets-seconds", paramLabel = "SECONDS", description = "A secret revealed in the"
            + " web console leaves the page after this long (env CASTELLAN_CONSOLE_HIDE_SECRETS_SECONDS, config"
            + " \"console\":{\"hideSecretsAfterSeconds\"}; default 60; 0: not hidden).")
    String consoleHideSecretsSeconds;

    @Override
    public Integer call() throws Exception {
        ServerConfig config;
        org.castellan.server.sso.OidcSettings singleSignOn;
        org.castellan.server.config.ConsoleSettings console;
        try {
            ConfigResolver resolver = new ConfigResolver(System.getenv());
            config = resolver.resolve(data, listen, configFile, database, databasePasswordFile,
                    deletedRetentionDays);
            singleSignOn = resolver.singleSignOn(configFile);
            console = resolver.console(configFile, consoleIdleMinutes, consoleAbsoluteMinutes,
                    consoleHideSecretsSeconds).withOidc(singleSignOn);
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
            server = CastellanServer.start(config, java.time.Clock.systemUTC(),
                    org.castellan.server.notify.DispatcherSettings.defaults(),
                    console);
        } catch (DataDirModes.NotPrivate e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 1;
        } catch (DatabaseOpenException e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 2;
        } catch (org.castellan.server.vault.SharedVaultKeys.Mismatch e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 1;
        } catch (AuditAnchorException e) {
            // Refuses to serve (and to anchor over the evidence) until an operator has looked.
            System.err.println("castellan-server: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            if (!hasCause(e, java.net.BindException.class)) {
                throw e;
            }
            // One line, not Jetty's stack trace: what is wrong and what to do.
            System.err.println("castellan-server: cannot listen on " + config.listen().host() + ":" + config.listen().port()
                    + ": the address is already in use (another castellan-server running?); stop that process or"
                    + " choose another address with --listen HOST:PORT");
            announceTokenFile(System.err, config.dataDir());
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
        server.initialAdminToken().ifPresentOrElse(token -> out.println(
                "Initial admin token (shown once; also in " + dataDir.resolve(Bootstrap.TOKEN_FILE) + "): " + token),
                () -> announceTokenFile(out, dataDir));
        out.flush();
    }

    /**
     * A start after the first (which may have failed after writing the token): where the bootstrap
     * token still is, until the operator deletes the file.
     */
    static void announceTokenFile(PrintStream out, Path dataDir) {
        Path file = dataDir.resolve(Bootstrap.TOKEN_FILE);
        if (java.nio.file.Files.exists(file)) {
            out.println("Initial admin token not shown again; it is still in " + file
                    + " (delete the file once the token is kept elsewhere)");
        }
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
