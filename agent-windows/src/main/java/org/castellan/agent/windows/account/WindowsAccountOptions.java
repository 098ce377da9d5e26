package org.castellan.agent.windows.account;

/**
 * What the agent may do to make the policy's account manageable. All off by default: the agent
 * then only manages an account that already exists and already is an administrator. These will
 * come from the server policy later.
 *
 * @param createIfMissing create a named account that does not exist (NetUserAdd)
 * @param addToAdministrators add the account to the Administrators group (S-1-5-32-544)
 * @param enableAccount clear the account-disabled flag
 */
public record WindowsAccountOptions(boolean createIfMissing, boolean addToAdministrators, boolean enableAccount) {
    public static final WindowsAccountOptions DEFAULTS = new WindowsAccountOptions(false, false, false);
}
