package org.castellan.protocol.messages;

/**
 * What the agent may do to make the policy's account manageable. All off by default: the agent
 * then manages an account only if it already exists and already is an administrator.
 *
 * @param createAccount create the policy's named account when it does not exist (Windows, macOS)
 * @param ensureAdmin add the account to the local administrators group when it is not a member
 *     (Windows: the group of SID S-1-5-32-544; macOS: {@code admin})
 * @param enableAccount clear the account-disabled flag (Windows)
 * @param removeKeychainAfterReset after a reset without the old password, delete the account's
 *     login keychain, which the new password can no longer unlock (macOS)
 */
public record AccountOptions(boolean createAccount, boolean ensureAdmin, boolean enableAccount,
                             boolean removeKeychainAfterReset) {
    /** Everything off: what an agent assumes when the server sends no options (older server). */
    public static final AccountOptions NONE = new AccountOptions(false, false, false, false);
}
