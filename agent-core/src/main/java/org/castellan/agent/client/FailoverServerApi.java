package org.castellan.agent.client;

import java.util.ArrayList;
import java.util.List;
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
 * Several server nodes that share one database, tried in order. A call is sent to the next node
 * when this one gave no HTTP answer at all (connection refused or reset, timeout, TLS failure:
 * {@link ServerException#status()} 0) or answered 503 (castellan-server answers 503, having
 * changed nothing, when its database is unreachable or busy; so does a load balancer with no
 * healthy node behind it). Any other HTTP answer, success or refusal, is final. That is
 * only as bold as what the agent does anyway after a network failure, which is to send the same
 * call again later: every call of the protocol is safe to repeat (each is signed afresh; an escrow
 * of the same rotation and envelope, a commit or an abort repeated on another node answers as the
 * first did), so a node that took an escrow and died before answering leaves nothing the next
 * node cannot finish. The node that last answered is tried first next time.
 */
public final class FailoverServerApi implements ServerApi {
    @FunctionalInterface
    private interface Call<T> {
        T on(ServerApi node) throws ServerException;
    }

    private final List<ServerApi> nodes;
    private int preferred;

    public FailoverServerApi(List<ServerApi> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no server nodes");
        }
        this.nodes = List.copyOf(nodes);
    }

    private synchronized <T> T call(Call<T> call) throws ServerException {
        List<String> failures = new ArrayList<>();
        ServerException last = null;
        for (int i = 0; i < nodes.size(); i++) {
            int index = (preferred + i) % nodes.size();
            try {
                T answer = call.on(nodes.get(index));
                preferred = index;
                return answer;
            } catch (ServerException e) {
                if (!tryNext(e)) {
                    preferred = index;
                    throw e;
                }
                failures.add(e.getMessage());
                last = e;
            }
        }
        throw new ServerException(last.status(), last.code(), "none of the " + nodes.size()
                + " servers " + (last.status() == 0 ? "answered" : "could take the call") + ": "
                + String.join("; ", failures), last);
    }

    /** No HTTP answer, or 503: this node cannot take the call now, another may. */
    static boolean tryNext(ServerException e) {
        return e.status() == 0 || e.status() == 503;
    }

    @Override
    public RegisterResponse register(RegisterRequest request) throws ServerException {
        return call(node -> node.register(request));
    }

    @Override
    public CheckInResponse checkIn(CheckInRequest request) throws ServerException {
        return call(node -> node.checkIn(request));
    }

    @Override
    public EscrowResponse escrow(EscrowRequest request) throws ServerException {
        return call(node -> node.escrow(request));
    }

    @Override
    public RotationStateResponse commit(String rotationId, RotationOutcome outcome) throws ServerException {
        return call(node -> node.commit(rotationId, outcome));
    }

    @Override
    public RotationStateResponse abort(String rotationId, RotationOutcome outcome) throws ServerException {
        return call(node -> node.abort(rotationId, outcome));
    }

    @Override
    public LuksKeyState escrowLuksKey(LuksKeyEscrowRequest request) throws ServerException {
        return call(node -> node.escrowLuksKey(request));
    }

    @Override
    public LuksKeyState commitLuksKey(LuksKeyRef key) throws ServerException {
        return call(node -> node.commitLuksKey(key));
    }

    @Override
    public LuksKeyState retireLuksKey(LuksKeyRef key) throws ServerException {
        return call(node -> node.retireLuksKey(key));
    }

    @Override
    public RecoveryKeyEscrowResponse escrowRecoveryKeys(RecoveryKeyEscrowRequest request) throws ServerException {
        return call(node -> node.escrowRecoveryKeys(request));
    }
}
