package org.castellan.agent.client;

import java.net.URI;
import java.time.Clock;
import org.castellan.protocol.signing.DeviceKeyPair;
import org.castellan.protocol.tls.PinnedTrust;

/** Opens a {@link ServerApi} for a server; tests substitute one that returns a fake. */
@FunctionalInterface
public interface ServerConnector {
    /**
     * @param fingerprint pinned SHA-256 certificate fingerprint, or null for the system CAs
     * @param deviceId null for registration
     */
    ServerApi connect(String server, String fingerprint, DeviceKeyPair key, String deviceId);

    /**
     * Real HTTPS with {@link ServerClient}; {@code server} may be several comma-separated URLs of
     * nodes sharing one database, which {@link FailoverServerApi} tries in turn.
     */
    static ServerConnector https(Clock clock) {
        return (server, fingerprint, key, deviceId) -> {
            PinnedTrust trust = fingerprint == null ? PinnedTrust.systemCas() : PinnedTrust.pinned(fingerprint);
            String[] urls = server.split(",");
            if (urls.length == 1) {
                return new ServerClient(URI.create(server), trust, key, deviceId, clock);
            }
            java.util.List<ServerApi> nodes = new java.util.ArrayList<>();
            for (String url : urls) {
                nodes.add(new ServerClient(URI.create(url), trust, key, deviceId, clock));
            }
            return new FailoverServerApi(nodes);
        };
    }
}
