package org.castellan.agent.macos.account;

/**
 * How the macOS agent treats the managed account.
 *
 * @param createIfMissing create the policy's account (hidden, admin, no SecureToken) when it does
 *     not exist, instead of failing with {@code account-missing}
 * @param removeKeychainAfterReset after a reset without the old password (accounts without a
 *     SecureToken), delete the account's login keychain, which the new password can no longer unlock
 */
public record MacAccountOptions(boolean createIfMissing, boolean removeKeychainAfterReset) {
    public static MacAccountOptions defaults() {
        return new MacAccountOptions(false, false);
    }
}
