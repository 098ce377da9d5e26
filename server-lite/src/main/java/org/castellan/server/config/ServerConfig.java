package org.castellan.server.config;

import org.castellan.server.ratelimit.RateLimitSettings;
import java.nio.file.Path;
import org.castellan.server.db.DatabaseTarget;

/**
 * Everything {@code serve} needs, after flags, environment and config file were merged.
 *
 * @param tlsKeystore a PKCS12 keystore to use instead of the generated self-signed certificate, or null
 * @param tlsKeystorePassword its password (only with {@code tlsKeystore})
 * @param metricsTokenFile a file holding the token {@code /metrics} requires, or null (open)
 * @param database the embedded SQLite database in {@code dataDir}, or a PostgreSQL database
 */
public record ServerConfig(Path dataDir, ListenAddress listen, Path tlsKeystore, String tlsKeystorePassword,
                           RateLimitSettings limits, Path metricsTokenFile, DatabaseTarget database) {
    public static final String DEFAULT_DATA = "./castellan-data";
    public static final String DEFAULT_LISTEN = "0.0.0.0:8443";

    public ServerConfig(Path dataDir, ListenAddress listen, Path tlsKeystore, String tlsKeystorePassword) {
        this(dataDir, listen, tlsKeystore, tlsKeystorePassword, RateLimitSettings.defaults(), null);
    }

    public ServerConfig(Path dataDir, ListenAddress listen, Path tlsKeystore, String tlsKeystorePassword,
                        RateLimitSettings limits) {
        this(dataDir, listen, tlsKeystore, tlsKeystorePassword, limits, null);
    }

    public ServerConfig(Path dataDir, ListenAddress listen, Path tlsKeystore, String tlsKeystorePassword,
                        RateLimitSettings limits, Path metricsTokenFile) {
        this(dataDir, listen, tlsKeystore, tlsKeystorePassword, limits, metricsTokenFile, DatabaseTarget.embeddedSqlite());
    }

    public ServerConfig {
        if (database == null) {
            database = DatabaseTarget.embeddedSqlite();
        }
        if (limits == null) {
            limits = RateLimitSettings.defaults();
        }
        if (tlsKeystore != null && tlsKeystorePassword == null) {
            throw new IllegalArgumentException("tlsKeystore is set but tlsKeystorePassword is missing");
        }
    }

    public static ServerConfig of(Path dataDir, String listen) {
        return new ServerConfig(dataDir, ListenAddress.parse(listen), null, null);
    }

    public ServerConfig withLimits(RateLimitSettings newLimits) {
        return new ServerConfig(dataDir, listen, tlsKeystore, tlsKeystorePassword, newLimits, metricsTokenFile, database);
    }

    public ServerConfig withMetricsTokenFile(Path file) {
        return new ServerConfig(dataDir, listen, tlsKeystore, tlsKeystorePassword, limits, file, database);
    }

    public ServerConfig withDatabase(DatabaseTarget target) {
        return new ServerConfig(dataDir, listen, tlsKeystore, tlsKeystorePassword, limits, metricsTokenFile, target);
    }

    @Override
    public String toString() {
        return "ServerConfig[dataDir=" + dataDir + ", listen=" + listen + ", tlsKeystore=" + tlsKeystore + ", database=" + database + "]";
    }
}
