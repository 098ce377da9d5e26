package org.castellan.agent.linux;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.castellan.agent.client.ServerApi;
import org.castellan.agent.client.ServerException;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.CheckInResponse;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.protocol.messages.EscrowResponse;
import org.castellan.protocol.messages.LuksKeyEscrowRequest;
import org.castellan.protocol.messages.LuksKeyRef;
import org.castellan.protocol.messages.LuksKeyState;
import org.castellan.protocol.messages.RecoveryKeyEscrowRequest;
import org.castellan.protocol.messages.RecoveryKeyEscrowResponse;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.messages.RegisterResponse;
import org.castellan.protocol.messages.RotationOutcome;
import org.castellan.protocol.messages.RotationStateResponse;

/**
 * A hand-written fake of the server's LUKS endpoints (the real server is in the end-to-end test):
 * it opens each envelope with its own vault key, as the server does, and keeps the state per key.
 */
final class LuksTestServer implements ServerApi {
    record Held(String volumeId, String passphrase, String state) {}

    final VaultKeyPair vault = VaultKeyPair.generate("vault-test", new SecureRandom());
    final String deviceId;
    final Map<String, Held> keys = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    /** When set, the next commit fails as if the server were unreachable. */
    boolean failCommit;

    LuksTestServer(String deviceId) {
        this.deviceId = deviceId;
    }

    @Override
    public LuksKeyState escrowLuksKey(LuksKeyEscrowRequest r) throws ServerException {
        calls.add("escrow");
        try {
            byte[] plain = SecretEnvelope.open(vault, AssociatedData.forRecoveryKey(deviceId, r.volumeId(), r.protectorId()),
                    r.envelope());
            keys.put(r.protectorId(), new Held(r.volumeId(), new String(plain, java.nio.charset.StandardCharsets.UTF_8),
                    "pending"));
        } catch (Exception e) {
            throw new ServerException(400, "bad-envelope", e.getMessage());
        }
        return new LuksKeyState(r.volumeId(), r.protectorId(), "pending");
    }

    @Override
    public LuksKeyState commitLuksKey(LuksKeyRef ref) throws ServerException {
        calls.add("commit");
        if (failCommit) {
            failCommit = false;
            throw new ServerException(0, ServerException.UNREACHABLE, "connection refused");
        }
        return set(ref, "committed");
    }

    @Override
    public LuksKeyState retireLuksKey(LuksKeyRef ref) throws ServerException {
        calls.add("retire");
        return set(ref, "retired");
    }

    private LuksKeyState set(LuksKeyRef ref, String state) throws ServerException {
        Held held = keys.get(ref.protectorId());
        if (held == null) {
            throw new ServerException(404, "luks-key-not-found", ref.protectorId());
        }
        keys.put(ref.protectorId(), new Held(held.volumeId(), held.passphrase(), state));
        return new LuksKeyState(ref.volumeId(), ref.protectorId(), state);
    }

    List<Held> inState(String state) {
        return keys.values().stream().filter(h -> h.state().equals(state)).toList();
    }

    @Override
    public RegisterResponse register(RegisterRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CheckInResponse checkIn(CheckInRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public EscrowResponse escrow(EscrowRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RotationStateResponse commit(String rotationId, RotationOutcome outcome) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RotationStateResponse abort(String rotationId, RotationOutcome outcome) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RecoveryKeyEscrowResponse escrowRecoveryKeys(RecoveryKeyEscrowRequest request) {
        throw new UnsupportedOperationException();
    }
}
