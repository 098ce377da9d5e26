package org.castellan.server.recovery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.messages.EscrowedRecoveryKey;
import org.castellan.protocol.messages.RecoveryKeyEscrowRequest;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;

/** The agent's side of recovery-key escrow, on top of {@link TestAgent}: seals like the real agent. */
public final class RecoveryKeyClient {
    public record Key(String volumeId, String volumeLabel, String protectorId, String recoveryKey) {}

    private final TestAgent agent;

    public RecoveryKeyClient(TestAgent agent) {
        this.agent = agent;
    }

    Envelope seal(String deviceId, String volumeId, String protectorId, String recoveryKey) throws Exception {
        return SecretEnvelope.seal(agent.vaultKey, AssociatedData.forRecoveryKey(deviceId, volumeId, protectorId),
                recoveryKey.getBytes(StandardCharsets.UTF_8));
    }

    EscrowedRecoveryKey sealed(Key k) throws Exception {
        return new EscrowedRecoveryKey(k.volumeId(), k.volumeLabel(), k.protectorId(),
                seal(agent.deviceId, k.volumeId(), k.protectorId(), k.recoveryKey()));
    }

    public TestServer.Reply escrow(List<String> unprotected, Key... keys) throws Exception {
        List<EscrowedRecoveryKey> sealed = new ArrayList<>();
        for (Key k : keys) {
            sealed.add(sealed(k));
        }
        return agent.post(AgentPaths.RECOVERY_KEYS, new RecoveryKeyEscrowRequest(sealed, unprotected));
    }

    TestServer.Reply post(Object body) throws Exception {
        return agent.post(AgentPaths.RECOVERY_KEYS, body);
    }

    /** A BitLocker-style 48-digit numerical password, different for each seed. */
    public static String numericalPassword(int seed) {
        StringBuilder sb = new StringBuilder();
        for (int block = 0; block < 8; block++) {
            if (block > 0) {
                sb.append('-');
            }
            sb.append(String.format("%06d", ((seed * 7919 + block * 104729) % 90910) * 11));
        }
        return sb.toString();
    }
}
