package org.castellan.server.config;

import java.util.List;

/**
 * The JSON config file: the same keys as the flags, plus an optional own TLS keystore, rate limits
 * ({@code "revealLimits":"10/minute,50/hour,100/day"}, {@code "registrationLimits":"120/minute,1000/hour"})
 * {@code "trustedProxies":["CIDR",…]} whose X-Forwarded-For is believed, and {@code "metricsTokenFile"}:
 * a file holding the bearer token {@code GET /metrics} then requires (absent: {@code /metrics} is open),
 * {@code "database"} (a {@code postgresql://…} URL; absent: the embedded SQLite database) and
 * {@code "databasePasswordFile"} (the file holding its password).
 * {@code "singleSignOn":{"issuer":URL,"clientId":…,"clientSecretFile":FILE,"groupsClaim":"groups",
 * "secondFactorAcr":["mfa"]}} turns on the web console's OpenID Connect sign-in (the secret file must be
 * private, like the keystore); {@code secondFactorAcr}: {@code acr} values that count as a second factor.
 * {@code "console":{"idleMinutes":15,"absoluteMinutes":480,"hideSecretsAfterSeconds":60}}: the web
 * console's session expiry (idle and absolute) and how long a revealed secret stays on the page.
 * {@code "deletedRetentionDays"}: how long deleted devices' secrets stay revealable (default 30).
 * Unknown keys are rejected (strict mapper), so a typo does not go unnoticed.
 */
public record ConfigFile(String data, String listen, String tlsKeystore, String tlsKeystorePassword,
                         String revealLimits, String registrationLimits, List<String> trustedProxies,
                         String metricsTokenFile, String database, String databasePasswordFile,
                         SingleSignOn singleSignOn, Integer deletedRetentionDays, Console console) {
    public static final ConfigFile EMPTY = new ConfigFile(null, null, null, null, null, null, null, null, null, null,
            null, null, null);

    public ConfigFile(String data, String listen, String tlsKeystore, String tlsKeystorePassword, String revealLimits,
                      String registrationLimits, List<String> trustedProxies, String metricsTokenFile) {
        this(data, listen, tlsKeystore, tlsKeystorePassword, revealLimits, registrationLimits, trustedProxies,
                metricsTokenFile, null, null, null, null, null);
    }

    /** The web console's OpenID Connect provider. */
    public record SingleSignOn(String issuer, String clientId, String clientSecretFile, String groupsClaim,
                               List<String> secondFactorAcr) {}

    /** The web console's timings (each absent: its default). */
    public record Console(Integer idleMinutes, Integer absoluteMinutes, Integer hideSecretsAfterSeconds) {}

    @Override
    public String toString() {
        return "ConfigFile[data=" + data + ", listen=" + listen + ", tlsKeystore=" + tlsKeystore + "]";
    }
}
