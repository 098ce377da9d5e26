package org.castellan.server;

import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.castellan.server.config.ServerConfig;
import org.castellan.server.db.Database;
import org.castellan.server.files.SecureFiles;
import org.castellan.server.http.CastellanApp;
import org.castellan.server.http.RouteTable;
import org.castellan.server.tls.TlsFiles;
import org.castellan.server.tls.TlsMaterial;
import org.castellan.server.users.Bootstrap;
import org.castellan.server.vault.Vault;
import org.castellan.server.vault.VaultKeyFiles;

/**
 * Starts the server in-process: prepares the data directory on first start (TLS certificate,
 * vault key, database, bootstrap admin), then serves HTTPS. Used by {@code serve} and by tests.
 */
public final class CastellanServer implements AutoCloseable {
    private final Javalin app;
    private final Database db;
    private final TlsMaterial tls;
    private final Optional<String> initialAdminToken;
    private final List<RouteTable.Route> routes;
    private final ServerConfig config;

    private CastellanServer(Javalin app, Database db, TlsMaterial tls, Optional<String> initialAdminToken,
                            List<RouteTable.Route> routes, ServerConfig config) {
        this.app = app;
        this.db = db;
        this.tls = tls;
        this.initialAdminToken = initialAdminToken;
        this.routes = routes;
        this.config = config;
    }

    public static CastellanServer start(ServerConfig config) throws IOException, GeneralSecurityException {
        return start(config, Clock.systemUTC());
    }

    public static CastellanServer start(ServerConfig config, Clock clock) throws IOException, GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        Path dataDir = config.dataDir();
        SecureFiles.createPrivateDirectory(dataDir);
        TlsMaterial tls = config.tlsKeystore() != null
                ? TlsFiles.load(config.tlsKeystore(), config.tlsKeystorePassword().toCharArray())
                : new TlsFiles(dataDir).loadOrCreate(random, clock.instant());
        Vault vault = new VaultKeyFiles(dataDir).loadOrCreate(random);
        Database db = Database.open(dataDir);
        try {
            ServerContext context = ServerContext.sqlite(db, vault, clock, random);
            Optional<String> token = Bootstrap.createAdminIfFirstStart(db, context.users(), dataDir, random, clock);
            CastellanApp.Built built = CastellanApp.build(context, tls, config.listen());
            built.app().start();
            return new CastellanServer(built.app(), db, tls, token, built.routes(), config);
        } catch (RuntimeException | IOException e) {
            db.close();
            throw e;
        }
    }

    public int port() {
        return app.port();
    }

    public String host() {
        return config.listen().urlHost();
    }

    public String url() {
        return "https://" + host() + ":" + port();
    }

    public String fingerprint() {
        return tls.fingerprint();
    }

    /** The bootstrap admin token, present only on the first start. */
    public Optional<String> initialAdminToken() {
        return initialAdminToken;
    }

    public List<RouteTable.Route> routes() {
        return routes;
    }

    /** Stops accepting, lets in-flight requests finish, then closes the database. */
    public void stop() {
        try {
            app.stop();
        } finally {
            db.close();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
