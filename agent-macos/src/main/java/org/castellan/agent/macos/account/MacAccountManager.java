package org.castellan.agent.macos.account;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.castellan.agent.macos.parse.SecureTokenStatus;
import org.castellan.agent.macos.process.CommandException;
import org.castellan.agent.macos.process.CommandRunner;
import org.castellan.agent.macos.process.MacTools;
import org.castellan.agent.spi.AccountManager;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PasswordCheck;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;
import org.castellan.protocol.messages.AccountOptions;

/**
 * The managed macOS account: a local admin named by policy, its password set through
 * {@code dscl -q .} with the command on stdin.
 *
 * <p>SecureToken: a root reset of a token holder's password leaves its FileVault unlock and login
 * keychain on the old password. So for a token holder the agent only changes the password WITH
 * the current one, which it keeps in a {@link CurrentPasswordStore}; when it does not know it
 * (first run), it refuses with {@code needs-first-password} and reports that warning until an
 * admin seeds it ({@link #seedCurrentPassword}).
 *
 * <p>Options come from the policy with each {@link #resolve(String, AccountOptions)}. The one that
 * matters after resolving, {@code removeKeychainAfterReset}, is remembered per account for the
 * {@link #setPassword} that follows: agent-core resolves the account from the policy in the same
 * check-in just before it sets the password, so the options in force are those of that policy.
 */
public final class MacAccountManager implements AccountManager {
    public static final String NEEDS_FIRST_PASSWORD = "needs-first-password";
    public static final String CURRENT_PASSWORD_UNSAVED = "current-password-unsaved";
    public static final String SECURE_TOKEN_STATUS_UNKNOWN = "secure-token-status-unknown";
    public static final String KEYCHAIN_NOT_REMOVED = "keychain-not-removed";

    private final MacTool tool;
    private final AccountLookup lookup;
    /** The options of the last resolve of each account, for its setPassword (keychain removal). */
    private final Map<String, MacAccountOptions> optionsByAccount = new ConcurrentHashMap<>();
    private final CurrentPasswordStore store;
    private final Path usersRoot;
    /** Accounts whose password changed but whose new password could not be stored. */
    private final Set<String> unsaved = ConcurrentHashMap.newKeySet();
    /** The account the last resolve() found: FileVault key escrow authenticates as it. */
    private volatile String lastResolved;
    /** Accounts whose stale login keychain could not be removed after a reset. */
    private final Set<String> keychainKept = ConcurrentHashMap.newKeySet();

    /**
     * @param usersRoot where home directories live ({@code /Users}); only used to find the login
     *     keychain when {@link MacAccountOptions#removeKeychainAfterReset()} is on
     */
    public MacAccountManager(CommandRunner runner, MacTools tools, CurrentPasswordStore store, Path usersRoot) {
        this.tool = new MacTool(runner, tools);
        this.lookup = new AccountLookup(tool);
        this.store = store;
        this.usersRoot = usersRoot;
    }

    /** Without policy options: nothing is created or changed. */
    @Override
    public ManagedAccount resolve(String policyAccount) throws PlatformException {
        return resolve(policyAccount, MacAccountOptions.defaults());
    }

    @Override
    public ManagedAccount resolve(String policyAccount, AccountOptions options) throws PlatformException {
        return resolve(policyAccount, MacAccountOptions.from(options));
    }

    /** macOS has no use for {@code enableAccount}: it is the one option reported as ignored. */
    @Override
    public List<String> ignoredOptions(AccountOptions options) {
        return options.enableAccount() ? List.of(IGNORED_OPTION + "enableAccount") : List.of();
    }

    /**
     * Finds the account, creating it (hidden admin) or adding it to {@code admin} as far as
     * {@code options} allow; the options stay in force for this account's next {@link #setPassword}.
     */
    public ManagedAccount resolve(String policyAccount, MacAccountOptions options) throws PlatformException {
        if (policyAccount == null || policyAccount.isBlank()) {
            throw new PlatformException("account-unsupported", "set the policy's account for macOS devices");
        }
        if (!AccountNames.isValid(policyAccount)) {
            throw new PlatformException("account-unsupported", "policy account '" + policyAccount
                    + "' is not a short name the macOS agent manages (letters, digits, _ . -)");
        }
        String name = policyAccount;
        Optional<String> uid = lookup.uniqueId(name);
        if (uid.isEmpty()) {
            if (!options.createIfMissing()) {
                throw new PlatformException("account-missing", "account " + name + " does not exist on this Mac");
            }
            new AccountCreator(tool).create(name);
            uid = lookup.uniqueId(name);
            if (uid.isEmpty()) {
                throw new PlatformException("account-missing", "account " + name + " was created but cannot be read back");
            }
        }
        if (!lookup.isAdmin(name)) {
            if (!options.addToAdmin()) {
                throw new PlatformException("account-not-admin", "account " + name
                        + " is not in the admin group and the policy does not allow adding it (ensureAdmin)");
            }
            new AccountCreator(tool).addToAdmin(name, "add-to-admin-failed", "add account " + name + " to admin");
            if (!lookup.isAdmin(name)) {
                throw new PlatformException("account-not-admin", "account " + name
                        + " is still not in the admin group after adding it");
            }
        }
        optionsByAccount.put(name, options);
        lastResolved = name;
        return new ManagedAccount(name, uid.get());
    }

    /** The managed account found by the last successful {@link #resolve}, if any. */
    public Optional<String> lastResolvedAccount() {
        return Optional.ofNullable(lastResolved);
    }

    @Override
    public String passwordMarker(ManagedAccount account) throws PlatformException {
        return lookup.passwordMarker(checkedName(account));
    }

    @Override
    public void setPassword(ManagedAccount account, Secret newPassword) throws PlatformException {
        String name = checkedName(account);
        char[] chars = newPassword.chars();
        try {
            if (!DsclScript.canEncode(chars)) {
                throw new PlatformException("set-password-failed", "set password of " + name
                        + ": the new password is empty, starts with a quote or backslash, or holds a control"
                        + " character, which dscl's input cannot carry; nothing was changed");
            }
        } finally {
            Arrays.fill(chars, '\0');
        }
        SecureTokenStatus token = lookup.secureToken(name, "set-password-failed");
        Optional<Secret> current = knownCurrentPassword(name);
        if (token == SecureTokenStatus.ENABLED && current.isEmpty()) {
            throw new PlatformException(NEEDS_FIRST_PASSWORD, "account " + name + " holds a SecureToken and the"
                    + " agent does not know its current password; a reset without it would break FileVault"
                    + " unlock and the login keychain, so nothing was changed. Seed the current password on the device.");
        }
        // Known before dscl runs, so a crash right after the change does not lose it.
        try {
            store.savePending(name, newPassword);
        } catch (PlatformException e) {
            throw new PlatformException("set-password-failed", "set password of " + name
                    + ": could not keep the new password before setting it, nothing was changed: " + e.getMessage(), e);
        }
        try (Secret old = current.orElse(null)) {
            passwd(name, token == SecureTokenStatus.ENABLED ? old : null, newPassword);
        } catch (PlatformException e) {
            // dscl said no: the password is unchanged and the pending copy is wrong. If dscl could
            // not be run to the end (timeout), the change may have happened: keep the copy, the
            // next attempt settles it with authonly.
            if (!(e.getCause() instanceof CommandException)) {
                try {
                    store.deletePending(name);
                } catch (PlatformException ignored) {
                    // Left over, it is settled with authonly next time.
                }
            }
            throw e;
        }
        remember(name, newPassword);
        if (token == SecureTokenStatus.DISABLED
                && optionsByAccount.getOrDefault(name, MacAccountOptions.defaults()).removeKeychainAfterReset()) {
            removeLoginKeychain(name);
        }
    }

    /**
     * The stored current password, after settling a pending one left by a crash: the pending copy
     * is checked with {@code authonly}, promoted if it works and dropped either way.
     */
    private Optional<Secret> knownCurrentPassword(String name) throws PlatformException {
        Optional<Secret> pending = store.loadPending(name);
        if (pending.isPresent()) {
            try (Secret candidate = pending.get()) {
                if (authenticates(name, candidate)) {
                    store.save(name, candidate);
                }
            }
            store.deletePending(name);
        }
        return store.load(name);
    }

    /**
     * {@code dscl . -authonly NAME} with the password on dscl's stdin (interactive mode, never in
     * argv): the directory's own check, without a login.
     */
    @Override
    public PasswordCheck verifyPassword(ManagedAccount account, Secret password) throws PlatformException {
        String name = checkedName(account);
        char[] chars = password.chars();
        try {
            if (!DsclScript.canEncode(chars)) {
                return PasswordCheck.failed("the password cannot be passed to dscl");
            }
        } finally {
            Arrays.fill(chars, '\0');
        }
        return authenticates(name, password, "password-check-failed")
                ? PasswordCheck.proven("dscl . -authonly accepts it")
                : PasswordCheck.failed("dscl . -authonly refuses it (eDSAuthFailed)");
    }

    private boolean authenticates(String name, Secret password) throws PlatformException {
        return authenticates(name, password, "set-password-failed");
    }

    private boolean authenticates(String name, Secret password, String code) throws PlatformException {
        try (DsclScript script = new DsclScript()) {
            script.command("authonly", new String[] {name}, password);
            tool.dsclSession(code, "check the password of " + name, script, password);
            return true;
        } catch (PlatformException e) {
            if (e.getMessage().contains("eDSAuthFailed") || e.getMessage().contains("-14090")) {
                return false;
            }
            throw e;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public List<String> warnings(ManagedAccount account) {
        List<String> warnings = new ArrayList<>();
        try {
            String name = checkedName(account);
            if (lookup.secureToken(name, SECURE_TOKEN_STATUS_UNKNOWN) == SecureTokenStatus.ENABLED
                    && !store.has(name) && !store.hasPending(name)) {
                warnings.add(NEEDS_FIRST_PASSWORD);
            }
        } catch (PlatformException e) {
            warnings.add(SECURE_TOKEN_STATUS_UNKNOWN);
        }
        if (unsaved.contains(account.name())) {
            warnings.add(CURRENT_PASSWORD_UNSAVED);
        }
        if (keychainKept.contains(account.name())) {
            warnings.add(KEYCHAIN_NOT_REMOVED);
        }
        return List.copyOf(warnings);
    }

    /** The SPI entry point ({@code castellan-agent seed-password}): same as {@link #seedCurrentPassword(String, Secret)}. */
    @Override
    public void seedCurrentPassword(ManagedAccount account, Secret currentPassword) throws PlatformException {
        seedCurrentPassword(checkedName(account), currentPassword);
    }

    /**
     * Gives the agent the account's current password (for SecureToken accounts on first run). It is
     * checked against the directory first ({@code authonly}), so a typo cannot poison later changes.
     */
    public void seedCurrentPassword(String account, Secret currentPassword) throws PlatformException {
        if (!AccountNames.isValid(account)) {
            throw new PlatformException("account-unsupported", "'" + account + "' is not a usable macOS account name");
        }
        try (DsclScript script = new DsclScript()) {
            script.command("authonly", new String[] {account}, currentPassword);
            tool.dsclSession("seed-password-rejected", "check the given password of " + account, script, currentPassword);
        } catch (IllegalArgumentException e) {
            throw new PlatformException("seed-password-rejected", "check the given password of " + account + ": " + e.getMessage(), e);
        }
        store.save(account, currentPassword);
        store.deletePending(account);
        unsaved.remove(account);
    }

    private void passwd(String name, Secret old, Secret next) throws PlatformException {
        String record = "/Users/" + name;
        try (DsclScript script = new DsclScript()) {
            if (old == null) {
                script.command("passwd", new String[] {record}, next);
            } else {
                script.command("passwd", new String[] {record}, old, next);
            }
            tool.dsclSession("set-password-failed", "set password of " + name
                    + (old == null ? " (reset)" : " (change with current password)"), script, old, next);
        } catch (IllegalArgumentException e) {
            // The new password's characters were checked; this is an over-long line, or a stored
            // old password outside dscl's input rules. Nothing was run.
            throw new PlatformException("set-password-failed", "set password of " + name + ": " + e.getMessage(), e);
        }
    }

    /** Only after dscl accepted the change: a failed set must leave the stored password as it was. */
    private void remember(String name, Secret password) {
        try {
            store.save(name, password);
            store.deletePending(name);
            unsaved.remove(name);
        } catch (PlatformException e) {
            // The password did change and is escrowed; throwing now would make agent-core abort an
            // escrow that matches the device. Drop the stale copy and warn admins instead.
            unsaved.add(name);
            try {
                store.delete(name);
            } catch (PlatformException ignored) {
                // The stale copy will fail the next token change with eDSAuthFailed: safe.
            }
        }
    }

    /** Never throws: the password has changed by now, and an exception would abort its escrow. */
    private void removeLoginKeychain(String name) {
        Path keychain = usersRoot.resolve(name).resolve("Library/Keychains/login.keychain-db");
        try {
            Files.deleteIfExists(keychain);
            keychainKept.remove(name);
        } catch (IOException e) {
            keychainKept.add(name);
        }
    }

    private static String checkedName(ManagedAccount account) throws PlatformException {
        if (!AccountNames.isValid(account.name())) {
            throw new PlatformException("account-unsupported", "'" + account.name() + "' is not a usable macOS account name");
        }
        return account.name();
    }
}
