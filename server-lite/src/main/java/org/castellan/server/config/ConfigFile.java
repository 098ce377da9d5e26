package org.castellan.server.config;

/**
 * The JSON config file: the same keys as the flags, plus an optional own TLS keystore.
 * Unknown keys are rejected (strict mapper), so a typo does not go unnoticed.
 */
public record ConfigFile(String data, String listen, String tlsKeystore, String tlsKeystorePassword) {
    public static final ConfigFile EMPTY = new ConfigFile(null, null, null, null);

    @Override
    public String toString() {
        return "ConfigFile[data=" + data + ", listen=" + listen + ", tlsKeystore=" + tlsKeystore + "]";
    }
}
