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

    /** Real HTTPS with {@link ServerClient}. */
    static ServerConnector https(Clock clock) {
        return (server, fingerprint, key, deviceId) -> new ServerClient(URI.create(server),
                fingerprint == null ? PinnedTrust.systemCas() : PinnedTrust.pinned(fingerprint), key, deviceId, clock);
    }
}
