package org.castellan.agent.flow;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.castellan.agent.AgentException;
import org.castellan.agent.AgentVersion;
import org.castellan.agent.client.ServerApi;
import org.castellan.agent.client.ServerConnector;
import org.castellan.agent.client.ServerException;
import org.castellan.agent.jit.JitGrants;
import org.castellan.agent.jit.JitStore;
import org.castellan.agent.luks.LuksJournal;
import org.castellan.agent.luks.LuksKeyKeeper;
import org.castellan.agent.password.PasswordGenerator;
import org.castellan.agent.recovery.RecoveryKeyEscrow;
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
import org.castellan.protocol.messages.AccountOptions;
import org.castellan.protocol.messages.AgentPolicy;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.CheckInResponse;
import org.castellan.protocol.messages.JitReport;

/**
 * One check-in: resolve any unfinished rotation, report to the server, rotate if it says so (or
 * if recovery found the server and the device disagree), then escrow changed recovery keys.
 * Just-in-time admin rights: expired ones are revoked first (before the server is reached, so
 * an unreachable server changes nothing of that), the reports go with the check-in, and the
 * server's list of grants is applied after it.
 */
public final class CheckInCycle {
    /** What happened, for the command's output and the loop's next interval. */
    /**
     * @param recoveryKeysSent whether the recovery-key set changed and the server acknowledged it
     * @param notes problems that did not fail the check-in (recovery-key scan or escrow, warning report); no secrets
     */
    public record Result(Recovery recovery, boolean rotated, String rotateReason, String account, int checkInSeconds,
                         boolean recoveryKeysSent, List<String> notes) {}

    private final Platform platform;
    private final StateDir dir;
    private final ServerConnector connector;
    private final Clock clock;
    private final SecureRandom random;

    public CheckInCycle(Platform platform, StateDir dir, ServerConnector connector, Clock clock, SecureRandom random) {
        this.platform = platform;
        this.dir = dir;
        // The platform may keep its own files in the state dir (macOS: the current password): it
        // must read this run's directory, not its default.
        platform.useStateDir(dir.path());
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

    /** The grants of this state directory, on this platform. */
    public JitGrants jitGrants() {
        return new JitGrants(new JitStore(dir), platform.adminRights(), clock);
    }

    /** Revokes expired just-in-time grants now, under the state lock: what a running agent does at each expiry. */
    @SuppressWarnings("try")
    public void sweepJit() throws AgentException {
        try (StateLock lock = StateLock.acquire(dir)) {
            jitGrants().sweep();
        }
    }

    private Result runLocked(StateStore store, AgentState state) throws AgentException {
        JitGrants jit = jitGrants();
        List<String> notes = new ArrayList<>();
        try {
            jit.sweep();
        } catch (AgentException e) {
            notes.add("revoke expired just-in-time grants: " + e.getMessage());
        }
        ServerApi api = connector.connect(state.server(), state.serverFingerprint(),
                new DeviceKeyStore(dir, platform.keyProtector()).load(), state.deviceId());
        // Before the journal is touched: a copy must not commit or abort the original's rotation.
        state = new CloneCheck(platform, store).verify(state, api);
        RotationEngine engine = new RotationEngine(api, platform.accounts(), new RotationJournal(dir),
                new PasswordGenerator(random), state.deviceId(), clock);
        Recovery recovery = engine.resolvePending();

        AccountChoice reported = resolveAccount(state.policy());
        OsInfo os = platform.osInfo();
        List<String> sentWarnings = merge(reported.warnings(), state.recoveryWarnings());
        CheckInResponse answer;
        List<JitReport> jitSent = jit.unsent();
        try {
            answer = api.checkIn(new CheckInRequest(os.hostname(), os.osVersion(), AgentVersion.get(),
                    reported.name(), reported.problem(), sentWarnings, null, jitSent));
        } catch (ServerException e) {
            throw new AgentException("check in with " + state.server(), e);
        }
        if (answer == null || answer.policy() == null || answer.vaultKey() == null) {
            throw new AgentException("check in with " + state.server() + ": the answer lacks policy or vault key");
        }
        state = state.withCheckIn(answer.vaultKey(), answer.policy(), clock.instant());
        store.save(state);
        jit.delivered(jitSent);
        try {
            jit.apply(answer.jitGrants());
        } catch (AgentException e) {
            notes.add("apply just-in-time grants: " + e.getMessage());
        }

        boolean rotated = false;
        String reason = null;
        ManagedAccount account = reported.account();
        AgentException rotationFailure = null;
        if (answer.rotate() || recovery == Recovery.REPAIR_NEEDED || recovery == Recovery.UNVERIFIED) {
            reason = answer.rotate() ? answer.rotateReason()
                    : recovery == Recovery.UNVERIFIED ? "replace-unverified-password" : "repair-after-recovery";
            try {
                AccountChoice target = resolveAccount(answer.policy());
                if (target.account() == null) {
                    throw new AgentException("rotate password (" + reason + "): " + target.problem());
                }
                account = target.account();
                engine.rotate(target.account(), answer.policy(), answer.vaultKey());
                state = state.withRotation(target.name(), clock.instant());
                store.save(state);
                rotated = true;
            } catch (AgentException e) {
                // Recovery keys are escrowed even when the password cannot be rotated (a BitLocker
                // key must not wait for an account problem to be fixed); the failure is thrown after.
                rotationFailure = e;
            }
        }

        RecoveryKeyEscrow.Outcome keys = new RecoveryKeyEscrow(platform.recoveryKeys(), api, state.deviceId())
                .run(state.recoveryKeys(), answer.vaultKey());
        if (keys.detail() != null) {
            notes.add(keys.detail());
        }
        // LUKS keys after the scanned ones: a failure here never holds back a BitLocker escrow.
        LuksKeyKeeper.Outcome luks = new LuksKeyKeeper(platform.luksVolumes(), api, new LuksJournal(dir),
                new PasswordGenerator(random), state.deviceId(), clock).withVaultKey(answer.vaultKey())
                .run(answer.policy().luks(), answer.rotateRecoveryKeys());
        notes.addAll(luks.notes());
        List<String> diskWarnings = merge(keys.warnings(), luks.warnings());
        state = state.withRecoveryKeys(keys.acknowledged(), diskWarnings);
        store.save(state);

        // Warnings can appear during the rotation (e.g. current-password-unsaved) or the key scan:
        // tell the server now rather than at the next check-in, which may be hours away.
        List<String> warningsNow = merge(account == null ? List.of() : accountWarnings(account, answer.policy()),
                diskWarnings);
        // The same for what was just granted or revoked: the help desk sees it now.
        List<JitReport> jitNow = jit.unsent();
        if (!warningsNow.equals(sentWarnings) || !jitNow.isEmpty()) {
            try {
                api.checkIn(new CheckInRequest(os.hostname(), os.osVersion(), AgentVersion.get(),
                        account == null ? reported.name() : account.name(),
                        account == null ? reported.problem() : null, warningsNow, null, jitNow));
                jit.delivered(jitNow);
            } catch (ServerException e) {
                notes.add("report warnings " + warningsNow + " and " + jitNow.size() + " just-in-time reports to "
                        + state.server() + " (sent again at the next check-in): " + e.getMessage());
            }
        }
        if (rotationFailure != null) {
            throw rotationFailure;
        }
        int interval = answer.policy().checkInSeconds();
        if (Boolean.TRUE.equals(answer.jitPending())) {
            // A request waits for approval: check in sooner, so the right arrives soon after it.
            interval = Math.min(interval, CheckInResponse.JIT_PENDING_CHECK_IN_SECONDS);
        }
        return new Result(recovery, rotated, reason, account == null ? null : account.name(),
                interval, keys.sent(), List.copyOf(notes));
    }

    /** Account warnings first, then the others; duplicates dropped; at most the 20 the server accepts. */
    static List<String> merge(List<String> first, List<String> second) {
        LinkedHashSet<String> all = new LinkedHashSet<>(first);
        all.addAll(second);
        return all.stream().limit(20).toList();
    }

    /** The account manager's notes plus the policy options it does not carry out, as sent at check-in. */
    private List<String> accountWarnings(ManagedAccount account, AgentPolicy policy) {
        try {
            return merge(platform.accounts().warnings(account), platform.accounts().ignoredOptions(policy.accountOptions()));
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private record AccountChoice(ManagedAccount account, String problem, List<String> warnings) {
        String name() {
            return account == null ? null : account.name();
        }
    }

    private AccountChoice resolveAccount(AgentPolicy policy) {
        String wanted = policy == null ? "" : policy.account();
        AccountOptions options = policy == null ? AccountOptions.NONE : policy.accountOptions();
        try {
            ManagedAccount account = platform.accounts().resolve(wanted, options);
            return new AccountChoice(account, null, merge(platform.accounts().warnings(account),
                    platform.accounts().ignoredOptions(options)));
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
