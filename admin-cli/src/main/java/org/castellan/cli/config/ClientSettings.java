package org.castellan.cli.config;

import org.castellan.cli.http.ServerUrl;
import org.castellan.protocol.Secret;

/**
 * Where to connect and as whom, once flags, environment and config file are merged.
 *
 * @param token the API token, or null for requests that need none (logging in)
 * @param serverFingerprint normalized SHA-256 hex of the pinned certificate, or null for system CAs
 */
public record ClientSettings(ServerUrl server, Secret token, String serverFingerprint) {
    @Override
    public String toString() {
        return "ClientSettings[server=" + server + ", token=***, serverFingerprint=" + serverFingerprint + "]";
    }
}
