package org.castellan.server.policy;

import org.castellan.protocol.messages.AccountOptions;
import org.castellan.protocol.messages.AgentPolicy;
import org.castellan.protocol.messages.LuksPolicy;

/**
 * A named password policy; {@code default} applies to every device not covered by another.
 * Then four account options the agent receives in {@link AccountOptions}, and the LUKS settings
 * it receives in {@link LuksPolicy}.
 */
public record Policy(String name, String account, int length, String complexity, int passphraseWords,
                     boolean excludeLookalikes, int maxAgeDays, int checkInSeconds, int historyKeep,
                     int historyDays, boolean createAccount, boolean ensureAdmin, boolean enableAccount,
                     boolean removeKeychainAfterReset, boolean luksEnabled, String luksUnlockKeyFile,
                     int luksMaxAgeDays) {
    public static final String DEFAULT = "default";

    public static Policy defaults(String name) {
        return new Policy(name, "", 20, "full", 0, true, 30, 3600, 10, 90, false, false, false, false,
                false, "", 180);
    }

    public AgentPolicy toAgentPolicy() {
        return new AgentPolicy(account, length, complexity, passphraseWords, excludeLookalikes, maxAgeDays, checkInSeconds,
                new AccountOptions(createAccount, ensureAdmin, enableAccount, removeKeychainAfterReset),
                new LuksPolicy(luksEnabled, luksUnlockKeyFile, luksMaxAgeDays));
    }
}
