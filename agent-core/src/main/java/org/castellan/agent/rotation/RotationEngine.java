package org.castellan.agent.rotation;

import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.castellan.agent.AgentException;
import org.castellan.agent.client.ServerApi;
import org.castellan.agent.client.ServerException;
import org.castellan.agent.password.PasswordGenerator;
import org.castellan.agent.spi.AccountManager;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PasswordCheck;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.state.JournalEntry;
import org.castellan.agent.state.JournalEntry.Step;
import org.castellan.agent.state.RotationJournal;
import org.castellan.protocol.Secret;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.protocol.envelope.EnvelopeException;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.messages.AgentPolicy;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.protocol.messages.EscrowResponse;
import org.castellan.protocol.messages.RotationOutcome;
import org.castellan.protocol.messages.VaultKey;

/**
 * The rotation state machine of docs/agent-protocol.md, which keeps promise 1: the password is
 * set on the device only after the server has acknowledged the escrow, it is committed only once
 * the platform proved that it authenticates, and every step is journaled first so that a crash
 * anywhere is resolved on the next run.
 */
public final class RotationEngine {
    static final String UNKNOWN_ROTATION = "unknown-rotation";
    static final String ROTATION_ABORTED = "rotation-aborted";
    static final String ROTATION_COMMITTED = "rotation-committed";

    private final ServerApi server;
    private final AccountManager accounts;
    private final RotationJournal journal;
    private final PasswordGenerator generator;
    private final String deviceId;
    private final Clock clock;
    /** The unverified rotation the current {@link #rotate} is to supersede, if any. */
    private JournalEntry unverified;

    public RotationEngine(ServerApi server, AccountManager accounts, RotationJournal journal,
                          PasswordGenerator generator, String deviceId, Clock clock) {
        this.server = server;
        this.accounts = accounts;
        this.journal = journal;
        this.generator = generator;
        this.deviceId = deviceId;
        this.clock = clock;
    }

    /**
     * Finishes a rotation that an earlier run left unfinished. If the server cannot be reached the
     * journal is kept and this throws: no new rotation may start until it is resolved.
     */
    public Recovery resolvePending() throws AgentException {
        Optional<JournalEntry> pending = journal.read();
        if (pending.isEmpty()) {
            return Recovery.NOTHING_PENDING;
        }
        JournalEntry entry = pending.get();
        String context = "resolve unfinished rotation " + entry.rotationId() + " for account " + entry.account()
                + " (step " + entry.step().wireName() + ")";
        switch (entry.step()) {
            case GENERATED, ESCROWED:
                return abortPending(entry, "agent stopped before setting the password", context);
            case SETTING:
                if (entry.marker() == null) {
                    throw new AgentException(context + ": journal " + journal.location() + " has no password marker");
                }
                String now;
                try {
                    now = accounts.passwordMarker(account(entry));
                } catch (PlatformException e) {
                    throw new AgentException(context + ": read password marker", e);
                }
                if (now.equals(entry.marker())) {
                    return abortPending(entry, "agent stopped while setting the password; it did not change", context);
                }
                // The password changed, but the agent died before proving it: it must not commit
                // what it cannot prove, nor abort what may be in use. A proven rotation follows.
                journal.write(entry.at(Step.UNVERIFIED));
                return Recovery.UNVERIFIED;
            case SET:
                return commitPending(entry, context);
            case UNVERIFIED:
                return Recovery.UNVERIFIED;
            default:
                throw new AgentException(context + ": unknown journal step");
        }
    }

    /**
     * Rotates the password of {@code account}. Call only after {@link #resolvePending()}.
     *
     * @throws AgentException with context; the device's password is then either unchanged, or
     *     changed and escrowed with the journal kept for the next run to commit
     */
    public void rotate(ManagedAccount account, AgentPolicy policy, VaultKey vaultKey) throws AgentException {
        Optional<JournalEntry> recorded = journal.read();
        if (recorded.isPresent() && recorded.get().step() != Step.UNVERIFIED) {
            throw new AgentException("rotate password for account " + account.name()
                    + ": an unfinished rotation is recorded in " + journal.location() + "; it must be resolved first");
        }
        // An unverified rotation is superseded only by a proven commit; until then every other
        // ending of this rotation puts its record back, so the next run tries again.
        unverified = recorded.orElse(null);
        String rotationId = UUID.randomUUID().toString();
        JournalEntry entry = new JournalEntry(1, rotationId, account.name(), account.id(), Step.GENERATED,
                null, clock.instant());
        journal.write(entry);
        Secret password;
        try {
            password = generator.generate(policy);
        } catch (IllegalArgumentException e) {
            endWithoutCommit();
            throw new AgentException("generate password for account " + account.name(), e);
        }
        try (password) {
            escrow(entry, password, vaultKey);
            entry = entry.at(Step.ESCROWED);
            journal.write(entry);
            String before;
            try {
                before = accounts.passwordMarker(account);
            } catch (PlatformException e) {
                abortThenClear(entry, "could not read the password marker");
                throw new AgentException("read password marker of account " + account.name()
                        + " before setting it (rotation aborted)", e);
            }
            entry = entry.withMarker(before).at(Step.SETTING);
            journal.write(entry);
            try {
                accounts.setPassword(account, password);
            } catch (PlatformException e) {
                handleSetFailure(entry, account, password, e);
                return;
            }
            proveOrLeavePending(entry, account, password, "set password for account " + account.name());
        }
        entry = entry.at(Step.SET);
        journal.write(entry);
        commitThenClear(entry, "commit rotation " + rotationId + " for account " + account.name());
    }

    /**
     * Check before commit: the password must authenticate. If it does not, it is set once more
     * (a replicated directory, a tool that reported success too early) and checked again; if it
     * still does not, the rotation is journaled {@code unverified} and left pending on the server,
     * which reveals both the previous and this password, and this throws.
     */
    private void proveOrLeavePending(JournalEntry entry, ManagedAccount account, Secret password, String context)
            throws AgentException {
        PasswordCheck first = check(account, password);
        if (first.proven()) {
            return;
        }
        String second;
        try {
            accounts.setPassword(account, password);
            PasswordCheck again = check(account, password);
            if (again.proven()) {
                return;
            }
            second = again.detail();
        } catch (PlatformException e) {
            second = "setting it again failed: " + e.code() + ": " + AgentException.describe(e);
        }
        journal.write(entry.at(Step.UNVERIFIED));
        throw new AgentException(context + ": the new password does not authenticate (" + first.detail()
                + "; after setting it again: " + second + "); rotation " + entry.rotationId()
                + " stays pending, neither committed nor aborted: the server reveals both the previous and the"
                + " pending password as may be in use, and the next check-in rotates again");
    }

    private PasswordCheck check(ManagedAccount account, Secret password) {
        try {
            PasswordCheck check = accounts.verifyPassword(account, password);
            return check == null ? PasswordCheck.failed("the platform gave no answer") : check;
        } catch (PlatformException e) {
            return PasswordCheck.failed("could not check: " + e.code() + ": " + AgentException.describe(e));
        }
    }

    /** This rotation ends uncommitted: restore the unverified record it was to supersede, or clear. */
    private void endWithoutCommit() throws AgentException {
        if (unverified != null) {
            journal.write(unverified);
        } else {
            journal.clear();
        }
    }

    private void escrow(JournalEntry entry, Secret password, VaultKey vaultKey) throws AgentException {
        String context = "escrow password for account " + entry.account();
        byte[] utf8 = password.utf8();
        try {
            Envelope envelope = SecretEnvelope.seal(vaultKey,
                    AssociatedData.forPassword(deviceId, entry.account(), entry.rotationId()), utf8);
            EscrowResponse answer = server.escrow(new EscrowRequest(entry.rotationId(), entry.account(), envelope));
            if (answer == null || !entry.rotationId().equals(answer.rotationId())) {
                throw new ServerException(200, ServerException.BAD_RESPONSE,
                        "escrow answer names another rotation");
            }
        } catch (ServerException | EnvelopeException e) {
            // Nothing was set, so the local password still matches the server's committed one.
            // Tell the server (best effort) so a pending escrow does not linger, then forget it.
            try {
                server.abort(entry.rotationId(), new RotationOutcome("escrow failed: " + AgentException.describe(e)));
            } catch (ServerException ignored) {
                // The server may never have stored it; a stale pending escrow is superseded later.
            }
            endWithoutCommit();
            throw new AgentException(context, e);
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
    }

    /** The set failed; the marker tells whether it took effect anyway before we abort. */
    private void handleSetFailure(JournalEntry entry, ManagedAccount account, Secret password,
                                  PlatformException failure) throws AgentException {
        String context = "set password for account " + account.name();
        String after;
        try {
            after = accounts.passwordMarker(account);
        } catch (PlatformException markerFailure) {
            throw new AgentException(context + ": " + AgentException.describe(failure)
                    + "; could not tell whether it changed (" + AgentException.describe(markerFailure)
                    + "), so the rotation stays journaled for the next run", failure);
        }
        if (!after.equals(entry.marker())) {
            proveOrLeavePending(entry, account, password, context + " reported an error but the password did change");
            JournalEntry set = entry.at(Step.SET);
            journal.write(set);
            commitThenClear(set, context + " reported an error but the password did change; commit rotation "
                    + entry.rotationId());
            throw new AgentException(context + " reported an error but the password did change; "
                    + "the rotation was committed", failure);
        }
        abortThenClear(entry, "set-password-failed: " + failure.code());
        throw new AgentException(context + " (rotation aborted, password unchanged)", failure);
    }

    private void abortThenClear(JournalEntry entry, String detail) throws AgentException {
        try {
            server.abort(entry.rotationId(), new RotationOutcome(detail));
        } catch (ServerException e) {
            if (!(e.status() == 404 && UNKNOWN_ROTATION.equals(e.code()))) {
                // The journal stays; the next run aborts it again (the password is unchanged).
                throw new AgentException("abort rotation " + entry.rotationId() + " for account " + entry.account(), e);
            }
        }
        endWithoutCommit();
    }

    private void commitThenClear(JournalEntry entry, String context) throws AgentException {
        try {
            server.commit(entry.rotationId(), new RotationOutcome(null));
        } catch (ServerException e) {
            // The password is set and escrowed; the journal stays so the next run commits it.
            throw new AgentException(context, e);
        }
        journal.clear();
    }

    private Recovery abortPending(JournalEntry entry, String detail, String context) throws AgentException {
        try {
            server.abort(entry.rotationId(), new RotationOutcome(detail));
        } catch (ServerException e) {
            if (e.status() == 404 && UNKNOWN_ROTATION.equals(e.code())) {
                journal.clear(); // The escrow never reached the server: nothing to abort.
                return Recovery.ABORTED;
            }
            if (e.status() == 409 && ROTATION_COMMITTED.equals(e.code())) {
                journal.clear(); // The server reveals a password this device never set.
                return Recovery.REPAIR_NEEDED;
            }
            throw new AgentException(context + ": abort", e);
        }
        journal.clear();
        return Recovery.ABORTED;
    }

    private Recovery commitPending(JournalEntry entry, String context) throws AgentException {
        try {
            server.commit(entry.rotationId(), new RotationOutcome(null));
        } catch (ServerException e) {
            if ((e.status() == 409 && ROTATION_ABORTED.equals(e.code()))
                    || (e.status() == 404 && UNKNOWN_ROTATION.equals(e.code()))) {
                journal.clear(); // The device uses a password the server will not reveal.
                return Recovery.REPAIR_NEEDED;
            }
            throw new AgentException(context + ": commit", e);
        }
        journal.clear();
        return Recovery.COMMITTED;
    }

    private static ManagedAccount account(JournalEntry entry) {
        return new ManagedAccount(entry.account(), entry.accountId());
    }
}
