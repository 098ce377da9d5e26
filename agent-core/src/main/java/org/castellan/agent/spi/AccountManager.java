package org.castellan.agent.spi;

import java.util.ArrayList;
import java.util.List;
import org.castellan.protocol.Secret;
import org.castellan.protocol.messages.AccountOptions;

/** Finds the managed account and sets its password. */
public interface AccountManager {
    /**
     * Resolves the account named by policy.
     *
     * @param policyAccount the policy's account name; empty or null means the platform default
     *     (Windows: the RID-500 administrator; Linux: {@code root}; macOS may have none and throw)
     * @throws PlatformException with code {@code account-missing}, {@code account-not-admin} or
     *     {@code account-unsupported} when the account cannot be managed
     */
    ManagedAccount resolve(String policyAccount) throws PlatformException;

    /**
     * Resolves the account named by policy, doing what the policy's {@code options} allow to make
     * it manageable (create it, add it to the administrators, enable it). agent-core calls this
     * one, with the options of the policy it resolves for; the options hold for this call (and,
     * on platforms that need them, for the {@link #setPassword} of the account it returns).
     * The default ignores the options: see {@link #ignoredOptions}.
     */
    default ManagedAccount resolve(String policyAccount, AccountOptions options) throws PlatformException {
        return resolve(policyAccount);
    }

    /**
     * The options that are set but that this platform does not carry out, as warnings for admins
     * ({@code account-option-ignored:ensureAdmin}). The default, for platforms that do not override
     * {@link #resolve(String, AccountOptions)}, names every set option except
     * {@code removeKeychainAfterReset}, which is macOS-only by definition and so not worth a warning
     * on every other device a mixed policy covers.
     */
    default List<String> ignoredOptions(AccountOptions options) {
        List<String> ignored = new ArrayList<>();
        if (options.createAccount()) {
            ignored.add(IGNORED_OPTION + "createAccount");
        }
        if (options.ensureAdmin()) {
            ignored.add(IGNORED_OPTION + "ensureAdmin");
        }
        if (options.enableAccount()) {
            ignored.add(IGNORED_OPTION + "enableAccount");
        }
        return List.copyOf(ignored);
    }

    /** Prefix of the warnings {@link #ignoredOptions} returns. */
    String IGNORED_OPTION = "account-option-ignored:";

    /**
     * An opaque value that changes whenever the account's password changes (on Linux a digest of
     * the shadow hash, on Windows the password-last-set time). It contains no secret. The agent
     * compares it across a crash to learn whether an interrupted password change took effect.
     */
    String passwordMarker(ManagedAccount account) throws PlatformException;

    /**
     * Sets the password. Never passes it on a command line. On failure throws, and the password
     * must be unchanged (or the marker must say otherwise).
     */
    void setPassword(ManagedAccount account, Secret newPassword) throws PlatformException;

    /**
     * Proves that {@code password} authenticates {@code account} through the platform's own
     * authentication, without logging in: Linux compares crypt(3) of it with the shadow entry
     * (never PAM, whose faillock could lock the account), Windows a network {@code LogonUser},
     * macOS {@code dscl . -authonly}. The rotation engine calls it after every set and commits
     * only a proven password.
     *
     * @return proven, or failed with the reason (a wrong password is a result, not an exception)
     * @throws PlatformException when the check itself could not be run; the engine treats that as unproven
     */
    PasswordCheck verifyPassword(ManagedAccount account, Secret password) throws PlatformException;

    /** Notes for admins about this account, e.g. {@code needs-first-password}. */
    default List<String> warnings(ManagedAccount account) {
        return List.of();
    }

    /**
     * Tells the platform the account's current password, for platforms that must change it WITH
     * the old one (macOS SecureToken accounts). Implementations verify it before keeping it.
     *
     * @throws PlatformException code {@code unsupported} on platforms that never need it
     */
    default void seedCurrentPassword(ManagedAccount account, Secret password) throws PlatformException {
        throw new PlatformException("unsupported", "this platform does not need the current password of "
                + account.name() + "; it sets passwords without it");
    }
}
