package org.castellan.server.config;

import org.castellan.server.ratelimit.RateLimitSettings;
import org.castellan.server.ratelimit.RateWindow;
import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.castellan.protocol.Json;

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

    private final Map<String, String> env;

    public ConfigResolver(Map<String, String> env) {
        this.env = env;
    }

    public ServerConfig resolve(String dataFlag, String listenFlag, String configFlag) {
        return resolve(dataFlag, listenFlag, configFlag, null);
    }

    /** With {@code --deleted-retention-days} (null when not given). */
    public ServerConfig resolve(String dataFlag, String listenFlag, String configFlag, String retentionFlag) {
        String configPath = first(configFlag, env.get(ENV_CONFIG));
        ConfigFile file = configPath == null ? ConfigFile.EMPTY : read(Path.of(configPath));
        String data = first(dataFlag, env.get(ENV_DATA), file.data(), ServerConfig.DEFAULT_DATA);
        String listen = first(listenFlag, env.get(ENV_LISTEN), file.listen(), ServerConfig.DEFAULT_LISTEN);
        Path keystore = file.tlsKeystore() == null ? null : Path.of(file.tlsKeystore());
        String metricsToken = first(env.get(ENV_METRICS_TOKEN_FILE), file.metricsTokenFile());
        String retention = first(retentionFlag, env.get(ENV_DELETED_RETENTION_DAYS),
                file.deletedRetentionDays() == null ? null : file.deletedRetentionDays().toString());
        return new ServerConfig(Path.of(data), ListenAddress.parse(listen), keystore, file.tlsKeystorePassword(),
                limits(file), metricsToken == null ? null : Path.of(metricsToken),
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
