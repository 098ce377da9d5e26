package org.castellan.agent.windows.account;

import org.castellan.protocol.messages.AccountOptions;

/**
 * What the agent may do to make the policy's account manageable. All off by default: the agent
 * then only manages an account that already exists and already is an administrator. They come
 * from the server policy ({@link #from}) with each resolve.
 *
 * @param createIfMissing create a named account that does not exist (NetUserAdd)
 * @param addToAdministrators add the account to the Administrators group (S-1-5-32-544)
 * @param enableAccount clear the account-disabled flag
 */
public record WindowsAccountOptions(boolean createIfMissing, boolean addToAdministrators, boolean enableAccount) {
    public static final WindowsAccountOptions DEFAULTS = new WindowsAccountOptions(false, false, false);

    /** The policy's options as Windows reads them; {@code removeKeychainAfterReset} is macOS-only. */
    public static WindowsAccountOptions from(AccountOptions policy) {
        return new WindowsAccountOptions(policy.createAccount(), policy.ensureAdmin(), policy.enableAccount());
    }
}
