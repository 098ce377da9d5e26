package org.castellan.agent.macos.account;

import org.castellan.protocol.messages.AccountOptions;

/**
 * How the macOS agent treats the managed account, from the server policy's account options.
 *
 * @param createIfMissing create the policy's account (hidden, admin, no SecureToken) when it does
 *     not exist, instead of failing with {@code account-missing}
 * @param addToAdmin add an existing account that is not in the {@code admin} group to it, instead
 *     of failing with {@code account-not-admin}
 * @param removeKeychainAfterReset after a reset without the old password (accounts without a
 *     SecureToken), delete the account's login keychain, which the new password can no longer unlock
 */
public record MacAccountOptions(boolean createIfMissing, boolean addToAdmin, boolean removeKeychainAfterReset) {
    public static MacAccountOptions defaults() {
        return new MacAccountOptions(false, false, false);
    }

    /** The policy's options as macOS reads them; {@code enableAccount} has no macOS meaning here. */
    public static MacAccountOptions from(AccountOptions policy) {
        return new MacAccountOptions(policy.createAccount(), policy.ensureAdmin(), policy.removeKeychainAfterReset());
    }
}
