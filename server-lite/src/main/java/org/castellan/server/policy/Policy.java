package org.castellan.server.policy;

import org.castellan.protocol.messages.AccountOptions;
import org.castellan.protocol.messages.AgentPolicy;

/**
 * A named password policy; {@code default} applies to every device not covered by another.
 * The last four fields are the account options the agent receives in {@link AccountOptions}.
 */
public record Policy(String name, String account, int length, String complexity, int passphraseWords,
                     boolean excludeLookalikes, int maxAgeDays, int checkInSeconds, int historyKeep,
                     int historyDays, boolean createAccount, boolean ensureAdmin, boolean enableAccount,
                     boolean removeKeychainAfterReset) {
    public static final String DEFAULT = "default";

    public static Policy defaults(String name) {
        return new Policy(name, "", 20, "full", 0, true, 30, 3600, 10, 90, false, false, false, false);
    }

    public AgentPolicy toAgentPolicy() {
        return new AgentPolicy(account, length, complexity, passphraseWords, excludeLookalikes, maxAgeDays, checkInSeconds,
                new AccountOptions(createAccount, ensureAdmin, enableAccount, removeKeychainAfterReset));
    }
}
