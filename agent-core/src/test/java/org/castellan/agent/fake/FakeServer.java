package org.castellan.agent.fake;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.castellan.agent.client.ServerApi;
import org.castellan.agent.client.ServerException;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.protocol.envelope.EnvelopeException;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.protocol.messages.AccountOptions;
import org.castellan.protocol.messages.AgentPolicy;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.CheckInResponse;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.protocol.messages.EscrowResponse;
import org.castellan.protocol.messages.EscrowedRecoveryKey;
import org.castellan.protocol.messages.RecoveryKeyEscrowRequest;
import org.castellan.protocol.messages.RecoveryKeyEscrowResponse;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.messages.RegisterResponse;
import org.castellan.protocol.messages.RotationOutcome;
import org.castellan.protocol.messages.RotationStateResponse;
import org.castellan.protocol.messages.VaultKey;

/**
 * An in-memory castellan-server that keeps the protocol's rules (docs/agent-protocol.md): it opens
 * every envelope with a real vault key, so {@link #committedPassword()} is what the real server
 * would reveal. Crashes and failures can be injected at each point.
 */
public final class FakeServer implements ServerApi {
    public enum Point { ESCROW_BEFORE_STORE, ESCROW_AFTER_STORE, COMMIT_BEFORE_STORE, COMMIT_AFTER_STORE }

    public static final class Rotation {
        public final String id;
        public final String account;
        public final Envelope envelope;
        public final String password;
        public String state = "pending";

        Rotation(String id, String account, Envelope envelope, String password) {
            this.id = id;
            this.account = account;
            this.envelope = envelope;
            this.password = password;
        }
    }

    public final VaultKeyPair vault = VaultKeyPair.generate("vault-1", new SecureRandom());
    public final String deviceId;
    public final Map<String, Rotation> rotations = new LinkedHashMap<>();
    public final List<String> calls = new ArrayList<>();
    public final List<CheckInRequest> checkIns = new ArrayList<>();
    public final List<RegisterRequest> registrations = new ArrayList<>();
    public AgentPolicy policy = new AgentPolicy("", 20, "full", 0, false, 30, 3600, AccountOptions.NONE);
    public String committedPassword;
    public String committedAccount;
    public boolean rotateRequested;
    public Point crashAt;
    public boolean unreachable;
    public ServerException escrowFailure;
    public ServerException commitFailure;
    public ServerException registerFailure;
    public ServerException recoveryFailure;
    public final List<RecoveryKeyEscrowRequest> recoveryEscrows = new ArrayList<>();
    /** The keys of the last accepted recovery escrow as the server opened them: "volumeId/protectorId" → key. */
    public final Map<String, String> recoveryKeys = new LinkedHashMap<>();

    /** What {@link #health} answers: the server's clock (its Date header). */
    public Instant serverTime = Instant.now();
    /** The just-in-time grants handed out at check-in (null: a server without them). */
    public List<org.castellan.protocol.messages.JitGrant> jitGrants;
    public boolean jitPending;

    public FakeServer(String deviceId) {
        this.deviceId = deviceId;
    }

    public VaultKey vaultKey() {
        return vault.publicKey();
    }

    public String committedPassword() {
        return committedPassword;
    }

    public List<String> pendingPasswords() {
        return rotations.values().stream().filter(r -> r.state.equals("pending")).map(r -> r.password).toList();
    }

    private void reachable(String call) throws ServerException {
        calls.add(call);
        if (unreachable) {
            throw new ServerException(0, ServerException.UNREACHABLE, "POST " + call + " failed: Connection refused");
        }
    }

    private void crash(Point point) {
        if (crashAt == point) {
            crashAt = null;
            throw new SimulatedCrash("at " + point);
        }
    }

    @Override
    public RegisterResponse register(RegisterRequest request) throws ServerException {
        reachable("register");
        if (registerFailure != null) {
            throw registerFailure;
        }
        registrations.add(request);
        return new RegisterResponse(deviceId, vaultKey(), policy);
    }

    @Override
    public CheckInResponse checkIn(CheckInRequest request) throws ServerException {
        reachable("check-in");
        checkIns.add(request);
        String reason = null;
        if (committedPassword == null) {
            reason = "no-password";
        } else if (request.account() != null && !request.account().equals(committedAccount)) {
            reason = "account-changed";
        } else if (rotateRequested) {
            reason = "requested";
        }
        return new CheckInResponse(Instant.now(), policy, vaultKey(), reason != null, reason, List.of(), jitGrants, jitPending);
    }

    @Override
    public EscrowResponse escrow(EscrowRequest request) throws ServerException {
        reachable("escrow");
        if (escrowFailure != null) {
            throw escrowFailure;
        }
        crash(Point.ESCROW_BEFORE_STORE);
        Rotation existing = rotations.get(request.rotationId());
        if (existing != null) {
            if (!existing.envelope.equals(request.envelope())) {
                throw new ServerException(409, "rotation-conflict", "rotation exists with another envelope");
            }
            return new EscrowResponse(request.rotationId(), existing.state);
        }
        String password;
        try {
            byte[] plain = SecretEnvelope.open(vault,
                    AssociatedData.forPassword(deviceId, request.account(), request.rotationId()), request.envelope());
            password = new String(plain, StandardCharsets.UTF_8);
        } catch (EnvelopeException e) {
            throw new ServerException(400, "bad-envelope", e.getMessage());
        }
        rotations.put(request.rotationId(), new Rotation(request.rotationId(), request.account(), request.envelope(), password));
        crash(Point.ESCROW_AFTER_STORE);
        return new EscrowResponse(request.rotationId(), "pending");
    }

    @Override
    public RotationStateResponse commit(String rotationId, RotationOutcome outcome) throws ServerException {
        reachable("commit");
        if (commitFailure != null) {
            throw commitFailure;
        }
        crash(Point.COMMIT_BEFORE_STORE);
        Rotation rotation = rotations.get(rotationId);
        if (rotation == null) {
            throw new ServerException(404, "unknown-rotation", "no rotation " + rotationId);
        }
        if (rotation.state.equals("aborted")) {
            throw new ServerException(409, "rotation-aborted", "rotation was aborted");
        }
        if (!rotation.state.equals("committed")) {
            rotations.values().stream().filter(r -> r.state.equals("pending") && r != rotation)
                    .forEach(r -> r.state = "superseded");
            rotation.state = "committed";
            committedPassword = rotation.password;
            committedAccount = rotation.account;
            rotateRequested = false;
        }
        crash(Point.COMMIT_AFTER_STORE);
        return new RotationStateResponse(rotationId, "committed");
    }

    @Override
    public RotationStateResponse abort(String rotationId, RotationOutcome outcome) throws ServerException {
        reachable("abort");
        Rotation rotation = rotations.get(rotationId);
        if (rotation == null) {
            throw new ServerException(404, "unknown-rotation", "no rotation " + rotationId);
        }
        if (rotation.state.equals("committed")) {
            throw new ServerException(409, "rotation-committed", "rotation was committed");
        }
        rotation.state = "aborted";
        return new RotationStateResponse(rotationId, "aborted");
    }

    @Override
    public org.castellan.agent.client.ServerHealth health() throws ServerException {
        reachable("health");
        return new org.castellan.agent.client.ServerHealth(200, serverTime);
    }

    @Override
    public RecoveryKeyEscrowResponse escrowRecoveryKeys(RecoveryKeyEscrowRequest request) throws ServerException {
        reachable("recovery-keys");
        if (recoveryFailure != null) {
            throw recoveryFailure;
        }
        Map<String, String> opened = new LinkedHashMap<>();
        for (EscrowedRecoveryKey k : request.keys()) {
            try {
                byte[] plain = SecretEnvelope.open(vault,
                        AssociatedData.forRecoveryKey(deviceId, k.volumeId(), k.protectorId()), k.envelope());
                opened.put(k.volumeId() + "/" + k.protectorId(), new String(plain, StandardCharsets.UTF_8));
            } catch (EnvelopeException e) {
                throw new ServerException(400, "bad-envelope", "keys: envelope does not open");
            }
        }
        int unchanged = (int) opened.entrySet().stream().filter(e -> e.getValue().equals(recoveryKeys.get(e.getKey()))).count();
        recoveryEscrows.add(request);
        recoveryKeys.clear();
        recoveryKeys.putAll(opened);
        return new RecoveryKeyEscrowResponse(opened.size() - unchanged, unchanged);
    }
}
