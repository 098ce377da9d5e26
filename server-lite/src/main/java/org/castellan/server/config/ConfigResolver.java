package org.castellan.server.config;

import org.castellan.server.ratelimit.RateLimitSettings;
import org.castellan.server.ratelimit.RateWindow;
import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.castellan.protocol.Json;
import org.castellan.server.db.DatabaseTarget;

/**
 * Merges settings: a command-line flag wins over the environment ({@code CASTELLAN_*}), which
 * wins over the config file, which wins over the defaults.
 */
public final class ConfigResolver {
    public static final String ENV_DATA = "CASTELLAN_DATA";
    public static final String ENV_LISTEN = "CASTELLAN_LISTEN";
    public static final String ENV_CONFIG = "CASTELLAN_CONFIG";
    public static final String ENV_METRICS_TOKEN_FILE = "CASTELLAN_METRICS_TOKEN_FILE";
    public static final String ENV_DELETED_RETENTION_DAYS = "CASTELLAN_DELETED_RETENTION_DAYS";
    public static final String ENV_DATABASE_URL = "CASTELLAN_DATABASE_URL";
    /** The database password itself (for container platforms that inject secrets as variables). */
    public static final String ENV_DATABASE_PASSWORD = "CASTELLAN_DATABASE_PASSWORD";
    public static final String ENV_DATABASE_PASSWORD_FILE = "CASTELLAN_DATABASE_PASSWORD_FILE";
    public static final String ENV_CONSOLE_IDLE_MINUTES = "CASTELLAN_CONSOLE_IDLE_MINUTES";
    public static final String ENV_CONSOLE_ABSOLUTE_MINUTES = "CASTELLAN_CONSOLE_ABSOLUTE_MINUTES";
    public static final String ENV_CONSOLE_HIDE_SECRETS_SECONDS = "CASTELLAN_CONSOLE_HIDE_SECRETS_SECONDS";

    private final Map<String, String> env;

    public ConfigResolver(Map<String, String> env) {
        this.env = env;
    }

    public ServerConfig resolve(String dataFlag, String listenFlag, String configFlag) {
        return resolve(dataFlag, listenFlag, configFlag, null, null, null);
    }

    /** With {@code --deleted-retention-days} (null when not given). */
    public ServerConfig resolve(String dataFlag, String listenFlag, String configFlag, String retentionFlag) {
        return resolve(dataFlag, listenFlag, configFlag, null, null, retentionFlag);
    }

    /**
     * With the database: {@code databaseFlag} (a URL) and {@code passwordFileFlag}, over
     * {@value #ENV_DATABASE_URL} / {@value #ENV_DATABASE_PASSWORD_FILE} / {@value #ENV_DATABASE_PASSWORD},
     * over the config file's {@code database} / {@code databasePasswordFile}.
     */
    public ServerConfig resolve(String dataFlag, String listenFlag, String configFlag, String databaseFlag,
                                String passwordFileFlag) {
        return resolve(dataFlag, listenFlag, configFlag, databaseFlag, passwordFileFlag, null);
    }

    /** With the database and {@code --deleted-retention-days} (null when not given). */
    public ServerConfig resolve(String dataFlag, String listenFlag, String configFlag, String databaseFlag,
                                String passwordFileFlag, String retentionFlag) {
        String configPath = first(configFlag, env.get(ENV_CONFIG));
        ConfigFile file = configPath == null ? ConfigFile.EMPTY : read(Path.of(configPath));
        ServerConfig base = resolve(file, dataFlag, listenFlag, retentionFlag);
        return base.withDatabase(database(file, databaseFlag, passwordFileFlag));
    }

    /** The database a command uses (serve, audit verify): flag over environment over config file. */
    public DatabaseTarget database(String configFlag, String databaseFlag, String passwordFileFlag) {
        String configPath = first(configFlag, env.get(ENV_CONFIG));
        ConfigFile file = configPath == null ? ConfigFile.EMPTY : read(Path.of(configPath));
        return database(file, databaseFlag, passwordFileFlag);
    }

    private DatabaseTarget database(ConfigFile file, String databaseFlag, String passwordFileFlag) {
        DatabaseTarget target = DatabaseTarget.parse(first(databaseFlag, env.get(ENV_DATABASE_URL), file.database()));
        if (target.embedded()) {
            return target;
        }
        String passwordFile = first(passwordFileFlag, env.get(ENV_DATABASE_PASSWORD_FILE), file.databasePasswordFile());
        if (passwordFile != null) {
            try {
                String text = Files.readString(Path.of(passwordFile), java.nio.charset.StandardCharsets.UTF_8);
                return target.withPassword(text.strip().toCharArray());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the database password file " + passwordFile + ": "
                        + e.getClass().getSimpleName());
            }
        }
        String password = env.get(ENV_DATABASE_PASSWORD);
        return password == null ? target : target.withPassword(password.toCharArray());
    }

    private ServerConfig resolve(ConfigFile file, String dataFlag, String listenFlag, String retentionFlag) {
        String data = first(dataFlag, env.get(ENV_DATA), file.data(), ServerConfig.DEFAULT_DATA);
        String listen = first(listenFlag, env.get(ENV_LISTEN), file.listen(), ServerConfig.DEFAULT_LISTEN);
        Path keystore = file.tlsKeystore() == null ? null : Path.of(file.tlsKeystore());
        String metricsToken = first(env.get(ENV_METRICS_TOKEN_FILE), file.metricsTokenFile());
        String retention = first(retentionFlag, env.get(ENV_DELETED_RETENTION_DAYS),
                file.deletedRetentionDays() == null ? null : file.deletedRetentionDays().toString());
        return new ServerConfig(Path.of(data), ListenAddress.parse(listen), keystore, file.tlsKeystorePassword(),
                limits(file), metricsToken == null ? null : Path.of(metricsToken), null,
                retention == null ? null : java.time.Duration.ofDays(retentionDays(retention)));
    }

    private static long retentionDays(String text) {
        long days;
        try {
            days = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            days = -1;
        }
        if (days < 1 || days > ServerConfig.MAX_DELETED_RETENTION_DAYS) {
            throw new IllegalArgumentException("deleted retention must be a whole number of days from 1 to "
                    + ServerConfig.MAX_DELETED_RETENTION_DAYS + " (--deleted-retention-days, "
                    + ENV_DELETED_RETENTION_DAYS + ", config \"deletedRetentionDays\")");
        }
        return days;
    }

    static RateLimitSettings limits(ConfigFile file) {
        RateLimitSettings d = RateLimitSettings.defaults();
        try {
            RateLimitSettings limits = new RateLimitSettings(
                    file.revealLimits() == null ? d.revealWindows() : RateWindow.parseList(file.revealLimits()),
                    d.loginMaxFailures(), d.loginWindow(), d.loginLockFor(),
                    file.registrationLimits() == null ? d.registrationWindows()
                            : RateWindow.parseList(file.registrationLimits()),
                    file.trustedProxies() == null ? d.trustedProxies() : file.trustedProxies());
            limits.clientAddressResolver(); // parses the CIDRs now, so a bad one stops the start
            return limits;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config file: " + e.getMessage(), e);
        }
    }

    /**
     * The web console's single sign-on from the config file, or null when it has none. The client
     * secret is read from its file, which must be private (0600, like every secret file).
     */
    public org.castellan.server.sso.OidcSettings singleSignOn(String configFlag) {
        String configPath = first(configFlag, env.get(ENV_CONFIG));
        ConfigFile.SingleSignOn sso = configPath == null ? null : read(Path.of(configPath)).singleSignOn();
        if (sso == null) {
            return null;
        }
        if (sso.issuer() == null || sso.clientId() == null || sso.clientSecretFile() == null) {
            throw new IllegalArgumentException("config file: singleSignOn needs issuer, clientId and clientSecretFile");
        }
        Path secretFile = Path.of(sso.clientSecretFile());
        var problems = org.castellan.protocol.files.PrivateFiles.check(java.util.List.of(secretFile));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(org.castellan.protocol.files.PrivateFiles.describe(
                    "the single sign-on client secret file", problems));
        }
        try {
            return new org.castellan.server.sso.OidcSettings(java.net.URI.create(sso.issuer()), sso.clientId(),
                    Files.readString(secretFile).strip(), sso.groupsClaim(), sso.secondFactorAcr());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the single sign-on client secret file " + secretFile
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The web console's timings: each flag (null when not given) over its {@code CASTELLAN_CONSOLE_*}
     * variable over the config file's {@code "console"} object over {@link ConsoleSettings#defaults()};
     * single sign-on is not part of it ({@link #singleSignOn}).
     */
    public org.castellan.server.config.ConsoleSettings console(String configFlag, String idleMinutesFlag,
                                                        String absoluteMinutesFlag, String hideSecondsFlag) {
        String configPath = first(configFlag, env.get(ENV_CONFIG));
        ConfigFile.Console file = configPath == null ? null : read(Path.of(configPath)).console();
        org.castellan.server.config.ConsoleSettings d = org.castellan.server.config.ConsoleSettings.defaults();
        long idle = whole(first(idleMinutesFlag, env.get(ENV_CONSOLE_IDLE_MINUTES),
                file == null || file.idleMinutes() == null ? null : file.idleMinutes().toString()),
                d.idle().toMinutes(), 1, 24 * 60, "console idle minutes (--console-idle-minutes, "
                        + ENV_CONSOLE_IDLE_MINUTES + ", config \"console\":{\"idleMinutes\"})");
        long absolute = whole(first(absoluteMinutesFlag, env.get(ENV_CONSOLE_ABSOLUTE_MINUTES),
                file == null || file.absoluteMinutes() == null ? null : file.absoluteMinutes().toString()),
                d.absolute().toMinutes(), 1, 7 * 24 * 60, "console absolute session minutes (--console-absolute-minutes, "
                        + ENV_CONSOLE_ABSOLUTE_MINUTES + ", config \"console\":{\"absoluteMinutes\"})");
        long hide = whole(first(hideSecondsFlag, env.get(ENV_CONSOLE_HIDE_SECRETS_SECONDS),
                file == null || file.hideSecretsAfterSeconds() == null ? null : file.hideSecretsAfterSeconds().toString()),
                d.hideSecretsAfter().toSeconds(), 0, 3600, "seconds a revealed secret stays shown"
                        + " (--console-hide-secrets-seconds, " + ENV_CONSOLE_HIDE_SECRETS_SECONDS
                        + ", config \"console\":{\"hideSecretsAfterSeconds\"}; 0: until the page is left)");
        if (absolute < idle) {
            throw new IllegalArgumentException("console absolute session minutes (" + absolute
                    + ") must be at least the idle minutes (" + idle + ")");
        }
        return new org.castellan.server.config.ConsoleSettings(java.time.Duration.ofMinutes(idle),
                java.time.Duration.ofMinutes(absolute), java.time.Duration.ofSeconds(hide), null);
    }

    private static long whole(String text, long fallback, long min, long max, String what) {
        if (text == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            value = Long.MIN_VALUE;
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be a whole number from " + min + " to " + max);
        }
        return value;
    }

    /** Only the data directory (for commands that do not serve). */
    public Path dataDir(String dataFlag) {
        return Path.of(first(dataFlag, env.get(ENV_DATA), ServerConfig.DEFAULT_DATA));
    }

    private static ConfigFile read(Path path) {
        try {
            return Json.mapper().readValue(Files.readAllBytes(path), ConfigFile.class);
        } catch (JacksonException e) {
            // Described without the offending value: the file may hold the keystore password.
            throw new IllegalArgumentException("config file " + path + " is not valid: "
                    + org.castellan.server.http.JsonBody.describe(e));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + path + ": " + e.getMessage(), e);
        }
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
