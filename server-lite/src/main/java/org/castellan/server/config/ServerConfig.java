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
 * @param deletedRetention how long a deleted device's secrets (and the recovery keys of removed
 *     volumes) stay revealable before the retention job purges them
 */
public record ServerConfig(Path dataDir, ListenAddress listen, Path tlsKeystore, String tlsKeystorePassword,
                           RateLimitSettings limits, Path metricsTokenFile, DatabaseTarget database,
                           java.time.Duration deletedRetention) {
    public static final String DEFAULT_DATA = "./castellan-data";
    public static final String DEFAULT_LISTEN = "0.0.0.0:8443";
    public static final int DEFAULT_DELETED_RETENTION_DAYS = 30;
    public static final int MAX_DELETED_RETENTION_DAYS = 36500;

    public ServerConfig(Path dataDir, ListenAddress listen, Path tlsKeystore, String tlsKeystorePassword,
                        RateLimitSettings limits, Path metricsTokenFile, DatabaseTarget database) {
        this(dataDir, listen, tlsKeystore, tlsKeystorePassword, limits, metricsTokenFile, database, null);
    }

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
        if (deletedRetention == null) {
            deletedRetention = java.time.Duration.ofDays(DEFAULT_DELETED_RETENTION_DAYS);
        }
        if (tlsKeystore != null && tlsKeystorePassword == null) {
            throw new IllegalArgumentException("tlsKeystore is set but tlsKeystorePassword is missing");
        }
    }

    public static ServerConfig of(Path dataDir, String listen) {
        return new ServerConfig(dataDir, ListenAddress.parse(listen), null, null);
    }

    public ServerConfig withLimits(RateLimitSettings newLimits) {
        return new ServerConfig(dataDir, listen, tlsKeystore, tlsKeystorePassword, newLimits, metricsTokenFile, database,
                deletedRetention);
    }

    public ServerConfig withMetricsTokenFile(Path file) {
        return new ServerConfig(dataDir, listen, tlsKeystore, tlsKeystorePassword, limits, file, database,
                deletedRetention);
    }

    public ServerConfig withDatabase(DatabaseTarget target) {
        return new ServerConfig(dataDir, listen, tlsKeystore, tlsKeystorePassword, limits, metricsTokenFile, target,
                deletedRetention);
    }

    public ServerConfig withDeletedRetention(java.time.Duration retention) {
        return new ServerConfig(dataDir, listen, tlsKeystore, tlsKeystorePassword, limits, metricsTokenFile, database,
                retention);
    }

    @Override
    public String toString() {
        return "ServerConfig[dataDir=" + dataDir + ", listen=" + listen + ", tlsKeystore=" + tlsKeystore
                + ", database=" + database + ", deletedRetention=" + deletedRetention + "]";
    }
}
