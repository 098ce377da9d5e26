package org.castellan.agent.flow;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.castellan.agent.AgentException;
import org.castellan.agent.AgentVersion;
import org.castellan.agent.client.ServerApi;
import org.castellan.agent.client.ServerConnector;
import org.castellan.agent.client.ServerException;
import org.castellan.agent.password.PasswordGenerator;
import org.castellan.agent.rotation.Recovery;
import org.castellan.agent.rotation.RotationEngine;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.OsInfo;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.state.AgentState;
import org.castellan.agent.state.DeviceKeyStore;
import org.castellan.agent.state.RotationJournal;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.state.StateLock;
import org.castellan.agent.state.StateStore;
import org.castellan.protocol.messages.AgentPolicy;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.CheckInResponse;

/**
 * One check-in: resolve any unfinished rotation, report to the server, and rotate if it says so
 * (or if recovery found the server and the device disagree).
 */
public final class CheckInCycle {
    /** What happened, for the command's output and the loop's next interval. */
    public record Result(Recovery recovery, boolean rotated, String rotateReason, String account, int checkInSeconds) {}

    private final Platform platform;
    private final StateDir dir;
    private final ServerConnector connector;
    private final Clock clock;
    private final SecureRandom random;

    public CheckInCycle(Platform platform, StateDir dir, ServerConnector connector, Clock clock, SecureRandom random) {
        this.platform = platform;
        this.dir = dir;
        this.connector = connector;
        this.clock = clock;
        this.random = random;
    }

    @SuppressWarnings("try") // The lock is held for the whole block; its body need not touch it.
    public Result run() throws AgentException {
        StateStore store = new StateStore(dir);
        AgentState state = store.require();
        try (StateLock lock = StateLock.acquire(dir)) {
            return runLocked(store, state);
        } catch (AgentException e) {
            recordError(store, e);
            throw e;
        }
    }

    private Result runLocked(StateStore store, AgentState state) throws AgentException {
        ServerApi api = connector.connect(state.server(), state.serverFingerprint(),
                new DeviceKeyStore(dir, platform.keyProtector()).load(), state.deviceId());
        RotationEngine engine = new RotationEngine(api, platform.accounts(), new RotationJournal(dir),
                new PasswordGenerator(random), state.deviceId(), clock);
        Recovery recovery = engine.resolvePending();

        AccountChoice reported = resolveAccount(state.policy());
        OsInfo os = platform.osInfo();
        CheckInResponse answer;
        try {
            answer = api.checkIn(new CheckInRequest(os.hostname(), os.osVersion(), AgentVersion.get(),
                    reported.name(), reported.problem(), reported.warnings()));
        } catch (ServerException e) {
            throw new AgentException("check in with " + state.server(), e);
        }
        if (answer == null || answer.policy() == null || answer.vaultKey() == null) {
            throw new AgentException("check in with " + state.server() + ": the answer lacks policy or vault key");
        }
        state = state.withCheckIn(answer.vaultKey(), answer.policy(), clock.instant());
        store.save(state);

        boolean repair = recovery == Recovery.REPAIR_NEEDED;
        if (!answer.rotate() && !repair) {
            return new Result(recovery, false, null, reported.name(), answer.policy().checkInSeconds());
        }
        String reason = answer.rotate() ? answer.rotateReason() : "repair-after-recovery";
        AccountChoice target = resolveAccount(answer.policy());
        if (target.account() == null) {
            throw new AgentException("rotate password (" + reason + "): " + target.problem());
        }
        engine.rotate(target.account(), answer.policy(), answer.vaultKey());
        store.save(state.withRotation(target.name(), clock.instant()));
        return new Result(recovery, true, reason, target.name(), answer.policy().checkInSeconds());
    }

    private record AccountChoice(ManagedAccount account, String problem, List<String> warnings) {
        String name() {
            return account == null ? null : account.name();
        }
    }

    private AccountChoice resolveAccount(AgentPolicy policy) {
        String wanted = policy == null ? "" : policy.account();
        try {
            ManagedAccount account = platform.accounts().resolve(wanted);
            return new AccountChoice(account, null, platform.accounts().warnings(account));
        } catch (PlatformException e) {
            return new AccountChoice(null, e.code() + ": " + e.getMessage(), List.of());
        }
    }

    private void recordError(StateStore store, AgentException e) {
        try {
            store.load().ifPresent(current -> {
                try {
                    store.save(current.withError(e.getMessage(), clock.instant()));
                } catch (AgentException ignored) {
                    // The original error is what matters; it is thrown to the caller.
                }
            });
        } catch (AgentException ignored) {
            // Same: the state file is unreadable, the caller reports the original error.
        }
    }
}
