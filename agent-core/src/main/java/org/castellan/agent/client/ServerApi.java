package org.castellan.agent.client;

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
 * The agent API of castellan-server (docs/agent-protocol.md). {@link ServerClient} speaks it over
 * HTTPS; tests substitute a hand-written fake.
 */
public interface ServerApi {
    RegisterResponse register(RegisterRequest request) throws ServerException;

    CheckInResponse checkIn(CheckInRequest request) throws ServerException;

    /** Stores a sealed password as pending; returns only once the server has it durably. */
    EscrowResponse escrow(EscrowRequest request) throws ServerException;

    RotationStateResponse commit(String rotationId, RotationOutcome outcome) throws ServerException;

    RotationStateResponse abort(String rotationId, RotationOutcome outcome) throws ServerException;

    /** Sends the device's full current set of sealed recovery keys; returns once the server stored it. */
    RecoveryKeyEscrowResponse escrowRecoveryKeys(RecoveryKeyEscrowRequest request) throws ServerException;

    /** Stores a sealed LUKS passphrase as pending, before its key slot is added; returns once the server has it. */
    default LuksKeyState escrowLuksKey(LuksKeyEscrowRequest request) throws ServerException {
        throw new ServerException(0, "unsupported", "this server connection cannot escrow LUKS keys");
    }

    /** The slot exists and its passphrase opened the volume: the pending key becomes current. */
    default LuksKeyState commitLuksKey(LuksKeyRef key) throws ServerException {
        throw new ServerException(0, "unsupported", "this server connection cannot commit LUKS keys");
    }

    /** The slot is gone (or was never added): the key moves to history. */
    default LuksKeyState retireLuksKey(LuksKeyRef key) throws ServerException {
        throw new ServerException(0, "unsupported", "this server connection cannot retire LUKS keys");
    }

    /**
     * {@code GET /healthz}, unsigned and without side effects: is the server reachable over the
     * pinned TLS, and what is its clock ({@code castellan-agent diagnose}).
     */
    default ServerHealth health() throws ServerException {
        throw new ServerException(0, "unsupported", "this server connection cannot be probed");
    }
}
