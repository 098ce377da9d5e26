package org.castellan.agent.macos.account;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.castellan.agent.macos.parse.AccountPolicyData;
import org.castellan.agent.macos.parse.DsclRecord;
import org.castellan.agent.macos.parse.GroupMembership;
import org.castellan.agent.macos.parse.SecureTokenStatus;
import org.castellan.agent.macos.parse.UnexpectedOutputException;
import org.castellan.agent.macos.process.CommandResult;
import org.castellan.agent.macos.process.CommandRunner;
import org.castellan.agent.macos.process.MacTools;
import org.castellan.agent.spi.AccountManager;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;

/**
 * The managed macOS account: a local admin named by policy, its password set through
 * {@code dscl -q .} with the command on stdin.
 *
 * <p>SecureToken: a root reset of a token holder's password leaves its FileVault unlock and login
 * keychain on the old password. So for a token holder the agent only changes the password WITH
 * the current one, which it keeps in a {@link CurrentPasswordStore}; when it does not know it
 * (first run), it refuses with {@code needs-first-password} and reports that warning until an
 * admin seeds it ({@link #seedCurrentPassword}).
 */
public final class MacAccountManager implements AccountManager {
    public static final String NEEDS_FIRST_PASSWORD = "needs-first-password";
    public static final String CURRENT_PASSWORD_UNSAVED = "current-password-unsaved";
    public static final String SECURE_TOKEN_STATUS_UNKNOWN = "secure-token-status-unknown";
    public static final String KEYCHAIN_NOT_REMOVED = "keychain-not-removed";

    private final MacTool tool;
    private final MacAccountOptions options;
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
    public MacAccountManager(CommandRunner runner, MacTools tools, MacAccountOptions options,
            CurrentPasswordStore store, Path usersRoot) {
        this.tool = new MacTool(runner, tools);
        this.options = options;
        this.store = store;
        this.usersRoot = usersRoot;
    }

    @Override
    public ManagedAccount resolve(String policyAccount) throws PlatformException {
        if (policyAccount == null || policyAccount.isBlank()) {
            throw new PlatformException("account-unsupported", "set the policy's account for macOS devices");
        }
        if (!AccountNames.isValid(policyAccount)) {
            throw new PlatformException("account-unsupported", "policy account '" + policyAccount
                    + "' is not a short name the macOS agent manages (letters, digits, _ . -)");
        }
        String name = policyAccount;
        Optional<String> uid = uniqueId(name);
        if (uid.isEmpty()) {
            if (!options.createIfMissing()) {
                throw new PlatformException("account-missing", "account " + name + " does not exist on this Mac");
            }
            new AccountCreator(tool).create(name);
            uid = uniqueId(name);
            if (uid.isEmpty()) {
                throw new PlatformException("account-missing", "account " + name + " was created but cannot be read back");
            }
        }
        if (!isAdmin(name)) {
            throw new PlatformException("account-not-admin", "account " + name + " is not in the admin group");
        }
        lastResolved = name;
        return new ManagedAccount(name, uid.get());
    }

    /** The managed account found by the last successful {@link #resolve}, if any. */
    public Optional<String> lastResolvedAccount() {
        return Optional.ofNullable(lastResolved);
    }

    @Override
    public String passwordMarker(ManagedAccount account) throws PlatformException {
        String name = checkedName(account);
        String record = "/Users/" + name;
        CommandResult policy = tool.run("marker-unavailable", "read accountPolicyData of " + name,
                tool.paths().dscl(), ".", "-read", record, "accountPolicyData");
        if (policy.succeeded()) {
            try {
                Optional<String> lastSet = AccountPolicyData.passwordLastSetTime(policy.stdout());
                if (lastSet.isPresent()) {
                    return "passwordLastSetTime:" + lastSet.get();
                }
            } catch (UnexpectedOutputException e) {
                // Fall through to the shadow hash: an unreadable policy plist is not fatal.
            }
        }
        // Accounts created by dscl have no accountPolicyData until a password policy touches them.
        CommandResult shadow = tool.run("marker-unavailable", "read ShadowHashData of " + name,
                tool.paths().dscl(), ".", "-read", record, "ShadowHashData");
        Optional<String> hash = shadow.succeeded() ? DsclRecord.attribute(shadow.stdout(), "ShadowHashData") : Optional.empty();
        if (hash.isEmpty()) {
            throw new PlatformException("marker-unavailable", "account " + name
                    + " has neither passwordLastSetTime nor ShadowHashData (dscl exit " + shadow.exitCode() + ")");
        }
        // A digest of the salted hash: changes with the password, reveals nothing usable.
        return "shadow-sha256:" + sha256Hex(hash.get().replaceAll("\\s", ""));
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
        SecureTokenStatus token = secureToken(name, "set-password-failed");
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
            store.deletePending(name);
            throw e;
        }
        remember(name, newPassword);
        if (token == SecureTokenStatus.DISABLED && options.removeKeychainAfterReset()) {
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

    private boolean authenticates(String name, Secret password) throws PlatformException {
        try (DsclScript script = new DsclScript()) {
            script.command("authonly", new String[] {name}, password);
            tool.dsclSession("set-password-failed", "check the pending password of " + name, script, password);
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
            if (secureToken(name, SECURE_TOKEN_STATUS_UNKNOWN) == SecureTokenStatus.ENABLED
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

    private Optional<String> uniqueId(String name) throws PlatformException {
        CommandResult read = tool.run("account-lookup-failed", "look up account " + name,
                tool.paths().dscl(), ".", "-read", "/Users/" + name, "UniqueID");
        if (!read.succeeded()) {
            String output = read.combinedOutput();
            if (output.contains("eDSRecordNotFound") || output.contains("-14136")) {
                return Optional.empty();
            }
            throw new PlatformException("account-lookup-failed", "look up account " + name
                    + ": dscl exit " + read.exitCode() + ": " + output.strip());
        }
        try {
            return Optional.of(DsclRecord.uniqueId(read.stdout(), name));
        } catch (UnexpectedOutputException e) {
            throw new PlatformException("account-lookup-failed", "look up account " + name + ": " + e.getMessage(), e);
        }
    }

    private boolean isAdmin(String name) throws PlatformException {
        CommandResult check = tool.run("account-lookup-failed", "check admin membership of " + name,
                tool.paths().dseditgroup(), "-o", "checkmember", "-m", name, "admin");
        try {
            return GroupMembership.isMember(check.exitCode(), check.combinedOutput(), name, "admin");
        } catch (UnexpectedOutputException e) {
            throw new PlatformException("account-lookup-failed", "check admin membership of " + name + ": " + e.getMessage(), e);
        }
    }

    private SecureTokenStatus secureToken(String name, String code) throws PlatformException {
        CommandResult status = tool.run(code, "read SecureToken status of " + name,
                tool.paths().sysadminctl(), "-secureTokenStatus", name);
        try {
            return SecureTokenStatus.parse(status.combinedOutput(), name);
        } catch (UnexpectedOutputException e) {
            throw new PlatformException(code, "read SecureToken status of " + name + ": " + e.getMessage(), e);
        }
    }

    private static String checkedName(ManagedAccount account) throws PlatformException {
        if (!AccountNames.isValid(account.name())) {
            throw new PlatformException("account-unsupported", "'" + account.name() + "' is not a usable macOS account name");
        }
        return account.name();
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
