package org.castellan.agent.selftest;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.castellan.agent.AgentException;
import org.castellan.agent.password.PasswordGenerator;
import org.castellan.agent.spi.AccountManager;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.spi.KeyProtector;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PasswordCheck;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ThrowawayAccounts;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.Secret;
import org.castellan.protocol.messages.AccountOptions;
import org.castellan.protocol.messages.AgentPolicy;

/**
 * {@code castellan-agent selftest --throwaway-account}: proves on a disposable local account that
 * every platform call the agent's rotations make works here, and that the check before commit can
 * tell a right password from a wrong one. The passwords are set through the production
 * {@link AccountManager} exactly as a rotation sets them; nothing is sent to a server.
 *
 * <p>The account is recorded before it is created ({@link SelfTestRecord}), and deleted at the end
 * whatever happened; a run that was killed is cleaned up by the next one before it starts.
 */
public final class SelfTest {
    /** Short enough for Windows (20 characters), a valid name on every platform. */
    public static final String NAME_PREFIX = "castellan-st-";
    static final AgentPolicy POLICY = new AgentPolicy("", 24, "full", 0, false, 30, 3600, AccountOptions.NONE);

    private final Platform platform;
    private final StateDir dir;
    private final Clock clock;
    private final SecureRandom random;
    private final Consumer<DiagnosticCheck> reporter;
    private final List<DiagnosticCheck> steps = new ArrayList<>();
    private final String accountName;

    public SelfTest(Platform platform, StateDir dir, Clock clock, SecureRandom random, Consumer<DiagnosticCheck> reporter) {
        this(platform, dir, clock, random, reporter, null);
    }

    /**
     * @param accountName the throwaway account's name (it must start with {@link #NAME_PREFIX}), or
     *     null for a random one; fixed only where a test scripts the platform's tools by argument
     */
    public SelfTest(Platform platform, StateDir dir, Clock clock, SecureRandom random, Consumer<DiagnosticCheck> reporter,
                    String accountName) {
        if (accountName != null && !accountName.startsWith(NAME_PREFIX)) {
            throw new IllegalArgumentException("a throwaway account name starts with " + NAME_PREFIX);
        }
        this.accountName = accountName;
        this.platform = platform;
        this.dir = dir;
        this.clock = clock;
        this.random = random;
        this.reporter = reporter;
    }

    /** Runs every step; returns them all (the reporter saw each as it finished). */
    public List<DiagnosticCheck> run() throws AgentException {
        ThrowawayAccounts throwaway;
        try {
            throwaway = platform.throwawayAccounts();
        } catch (PlatformException e) {
            step(DiagnosticCheck.fail("throwaway-accounts", e.code() + ": " + e.getMessage()));
            return List.copyOf(steps);
        }
        SelfTestRecord record = new SelfTestRecord(dir);
        if (!cleanUpEarlierRun(record, throwaway)) {
            return List.copyOf(steps);
        }
        keyProtection();
        String name = accountName != null ? accountName : NAME_PREFIX + HexFormat.of().formatHex(randomBytes(3));
        try {
            if (throwaway.exists(name)) {
                step(DiagnosticCheck.fail("create-account", "an account named " + name + " already exists; it is not ours, run again"));
                return List.copyOf(steps);
            }
        } catch (PlatformException e) {
            step(DiagnosticCheck.fail("create-account", "look up " + name + ": " + e.code() + ": " + e.getMessage()));
            return List.copyOf(steps);
        }
        record.write(name, clock.instant());
        try {
            ManagedAccount account;
            try {
                account = throwaway.create(name);
                step(DiagnosticCheck.ok("create-account", "created " + account.name() + " (" + account.id() + "), not an administrator"));
            } catch (PlatformException e) {
                step(DiagnosticCheck.fail("create-account", name + ": " + e.code() + ": " + e.getMessage()));
                return List.copyOf(steps);
            }
            rotateTwice(account, throwaway);
        } finally {
            deleteAccount(throwaway, name, record);
        }
        return List.copyOf(steps);
    }

    /** Passed when no step failed. */
    public static boolean passed(List<DiagnosticCheck> steps) {
        return steps.stream().noneMatch(s -> s.status() == DiagnosticCheck.Status.FAIL);
    }

    private boolean cleanUpEarlierRun(SelfTestRecord record, ThrowawayAccounts throwaway) throws AgentException {
        Optional<SelfTestRecord.Entry> left = record.read();
        if (left.isEmpty()) {
            step(DiagnosticCheck.ok("clean-up", "no throwaway account left by an earlier run"));
            return true;
        }
        String name = left.get().account();
        if (name == null || !name.startsWith(NAME_PREFIX)) {
            step(DiagnosticCheck.fail("clean-up", record + " names '" + name + "', which no selftest creates; remove "
                    + dir.resolve(SelfTestRecord.FILE) + " by hand"));
            return false;
        }
        try {
            boolean existed = throwaway.exists(name);
            throwaway.delete(name);
            if (throwaway.exists(name)) {
                step(DiagnosticCheck.fail("clean-up", "the account " + name + " left by the interrupted run of "
                        + left.get().startedAt() + " is still there after deleting it"));
                return false;
            }
            record.clear();
            step(DiagnosticCheck.ok("clean-up", existed
                    ? "deleted the throwaway account " + name + " left by an interrupted run (" + left.get().startedAt() + ")"
                    : name + " of an interrupted run (" + left.get().startedAt() + ") is already gone; record removed"));
            return true;
        } catch (PlatformException e) {
            step(DiagnosticCheck.fail("clean-up", "delete the throwaway account " + name + " left by an interrupted run: "
                    + e.code() + ": " + e.getMessage()));
            return false;
        }
    }

    private void keyProtection() {
        KeyProtector protector = platform.keyProtector();
        byte[] sample = randomBytes(32);
        byte[] back = null;
        try {
            back = protector.unseal(protector.seal(sample));
            step(Arrays.equals(sample, back)
                    ? DiagnosticCheck.ok("key-protection", protector.name() + " seals and unseals")
                    : DiagnosticCheck.fail("key-protection", protector.name() + " unsealed something else than it sealed"));
        } catch (PlatformException | RuntimeException e) {
            step(DiagnosticCheck.fail("key-protection", protector.name() + ": " + AgentException.describe(e)));
        } finally {
            Arrays.fill(sample, (byte) 0);
            if (back != null) {
                Arrays.fill(back, (byte) 0);
            }
        }
    }

    /** Two rotations' worth of platform calls, each checked, as the rotation engine makes them. */
    private void rotateTwice(ManagedAccount account, ThrowawayAccounts throwaway) {
        AccountManager accounts = platform.accounts();
        PasswordGenerator generator = new PasswordGenerator(random);
        try (Secret first = generator.generate(POLICY); Secret second = generator.generate(POLICY)) {
            if (!setAndProve(accounts, account, first, null, "first")) {
                return;
            }
            if (!setAndProve(accounts, account, second, first, "second")) {
                return;
            }
            try {
                throwaway.checkAssumptions(account, second, first).forEach(this::step);
            } catch (RuntimeException e) {
                step(DiagnosticCheck.fail("platform-assumptions", AgentException.describe(e)));
            }
        }
    }

    private boolean setAndProve(AccountManager accounts, ManagedAccount account, Secret password, Secret previous,
                                String which) {
        String before;
        try {
            before = accounts.passwordMarker(account);
        } catch (PlatformException e) {
            step(DiagnosticCheck.fail("set-" + which + "-password", "read the password marker: " + e.code() + ": " + e.getMessage()));
            return false;
        }
        try {
            accounts.setPassword(account, password);
            String after = accounts.passwordMarker(account);
            if (after.equals(before)) {
                step(DiagnosticCheck.fail("set-" + which + "-password", "the set reported success but the password marker did not change"));
                return false;
            }
            step(DiagnosticCheck.ok("set-" + which + "-password", "set through the production path; the password marker changed"));
        } catch (PlatformException e) {
            step(DiagnosticCheck.fail("set-" + which + "-password", e.code() + ": " + e.getMessage()));
            return false;
        }
        PasswordCheck right = check(accounts, account, password);
        if (!right.proven()) {
            step(DiagnosticCheck.fail("prove-" + which + "-password", "the password just set does not authenticate: " + right.detail()));
            return false;
        }
        try (Secret wrong = previous == null ? new PasswordGenerator(random).generate(POLICY) : null) {
            Secret other = previous == null ? wrong : previous;
            PasswordCheck refused = check(accounts, account, other);
            if (refused.proven()) {
                step(DiagnosticCheck.fail("prove-" + which + "-password", "the check also accepts "
                        + (previous == null ? "a wrong password" : "the previous password") + ": it proves nothing"));
                return false;
            }
            step(DiagnosticCheck.ok("prove-" + which + "-password", right.detail() + "; "
                    + (previous == null ? "a wrong password" : "the previous password") + " is refused"));
        }
        return true;
    }

    private static PasswordCheck check(AccountManager accounts, ManagedAccount account, Secret password) {
        try {
            return accounts.verifyPassword(account, password);
        } catch (PlatformException e) {
            return PasswordCheck.failed("could not check: " + e.code() + ": " + e.getMessage());
        }
    }

    private void deleteAccount(ThrowawayAccounts throwaway, String name, SelfTestRecord record) throws AgentException {
        try {
            throwaway.delete(name);
            if (throwaway.exists(name)) {
                step(DiagnosticCheck.fail("delete-account", name + " still exists after deleting it; "
                        + dir.resolve(SelfTestRecord.FILE) + " is kept so the next selftest retries"));
                return;
            }
        } catch (PlatformException e) {
            step(DiagnosticCheck.fail("delete-account", name + ": " + e.code() + ": " + e.getMessage()
                    + "; the next selftest retries (" + dir.resolve(SelfTestRecord.FILE) + ")"));
            return;
        }
        record.clear();
        step(DiagnosticCheck.ok("delete-account", "deleted " + name + "; it is gone"));
    }

    private void step(DiagnosticCheck step) {
        steps.add(step);
        reporter.accept(step);
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
