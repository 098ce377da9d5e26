package org.castellan.agent.fake;

import java.util.ArrayList;
import java.util.List;
import org.castellan.agent.spi.AccountManager;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PasswordCheck;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;
import org.castellan.protocol.messages.AccountOptions;

/** One local account, {@code root}, whose password lives in memory; crashes and failures injectable. */
public final class FakeAccounts implements AccountManager {
    public enum Point { MARKER, SET_BEFORE_CHANGE, SET_AFTER_CHANGE }

    public static final ManagedAccount ROOT = new ManagedAccount("root", "0");

    public String password = "initial-password";
    public int changes;
    public int setCalls;
    public Point crashAt;
    public PlatformException setFailure;
    /** With {@link #setFailure}: change the password anyway before failing (a lying tool). */
    public boolean failAfterChange;
    public PlatformException markerFailure;
    public final List<String> passwordsSeen = new ArrayList<>();
    /** What {@link #warnings} reports; {@link #warningsAfterSet} are added once a password was set. */
    public final List<String> warnings = new ArrayList<>();
    public List<String> warningsAfterSet = List.of();
    /** Off: the SPI's default ({@code unsupported}). On: the seeded password is kept in {@link #seeded}. */
    public boolean seedSupported;
    public String seeded;

    /**
     * How many of the next password checks fail although the password is right (a replica that
     * lags, a tool that reports success too early); {@code Integer.MAX_VALUE}: every one.
     */
    public int checksThatFail;
    /** A broken check that proves every candidate (the selftest must catch it). */
    public boolean acceptsAnyPassword;
    /** Every password check, in order: the candidate and whether it was proven. */
    public final List<String> checks = new ArrayList<>();

    /** The options of every options-aware resolve, in order. */
    public final List<AccountOptions> optionsSeen = new ArrayList<>();

    @Override
    public ManagedAccount resolve(String policyAccount, AccountOptions options) throws PlatformException {
        optionsSeen.add(options);
        return resolve(policyAccount);
    }

    @Override
    public ManagedAccount resolve(String policyAccount) throws PlatformException {
        String name = policyAccount == null || policyAccount.isEmpty() ? "root" : policyAccount;
        if (!name.equals("root")) {
            throw new PlatformException("account-missing", "no local account named " + name);
        }
        return ROOT;
    }

    @Override
    public String passwordMarker(ManagedAccount account) throws PlatformException {
        if (crashAt == Point.MARKER) {
            crashAt = null;
            throw new SimulatedCrash("reading the password marker");
        }
        if (markerFailure != null) {
            throw markerFailure;
        }
        return "changes-" + changes;
    }

    @Override
    public void setPassword(ManagedAccount account, Secret newPassword) throws PlatformException {
        setCalls++;
        if (crashAt == Point.SET_BEFORE_CHANGE) {
            crashAt = null;
            throw new SimulatedCrash("before the password changed");
        }
        if (setFailure != null && !failAfterChange) {
            throw setFailure;
        }
        password = newPassword.reveal();
        passwordsSeen.add(password);
        changes++;
        warningsAfterSet.stream().filter(w -> !warnings.contains(w)).forEach(warnings::add);
        if (setFailure != null) {
            throw setFailure;
        }
        if (crashAt == Point.SET_AFTER_CHANGE) {
            crashAt = null;
            throw new SimulatedCrash("after the password changed");
        }
    }

    @Override
    public PasswordCheck verifyPassword(ManagedAccount account, Secret candidate) {
        boolean matches = acceptsAnyPassword || password.equals(candidate.reveal());
        if (matches && checksThatFail > 0) {
            if (checksThatFail != Integer.MAX_VALUE) {
                checksThatFail--;
            }
            checks.add("failed");
            return PasswordCheck.failed("the fake directory does not accept it yet");
        }
        checks.add(matches ? "proven" : "failed");
        return matches ? PasswordCheck.proven("the fake directory accepts it") : PasswordCheck.failed("wrong password");
    }

    @Override
    public List<String> warnings(ManagedAccount account) {
        return List.copyOf(warnings);
    }

    @Override
    public void seedCurrentPassword(ManagedAccount account, Secret password) throws PlatformException {
        if (!seedSupported) {
            AccountManager.super.seedCurrentPassword(account, password);
            return;
        }
        seeded = password.reveal();
    }
}
