package org.castellan.server.config;

import java.util.List;

/**
 * The JSON config file: the same keys as the flags, plus an optional own TLS keystore, rate limits
 * ({@code "revealLimits":"10/minute,50/hour,100/day"}, {@code "registrationLimits":"120/minute,1000/hour"})
 * {@code "trustedProxies":["CIDR",…]} whose X-Forwarded-For is believed, and {@code "metricsTokenFile"}:
 * a file holding the bearer token {@code GET /metrics} then requires (absent: {@code /metrics} is open), and
 * {@code "deletedRetentionDays"}: how long deleted devices' secrets stay revealable (default 30).
 * Unknown keys are rejected (strict mapper), so a typo does not go unnoticed.
 */
public record ConfigFile(String data, String listen, String tlsKeystore, String tlsKeystorePassword,
                         String revealLimits, String registrationLimits, List<String> trustedProxies,
                         String metricsTokenFile, Integer deletedRetentionDays) {
    public static final ConfigFile EMPTY = new ConfigFile(null, null, null, null, null, null, null, null, null);

    @Override
    public String toString() {
        return "ConfigFile[data=" + data + ", listen=" + listen + ", tlsKeystore=" + tlsKeystore + "]";
    }
}
