package org.castellan.server.policy;

import org.castellan.protocol.messages.AgentPolicy;

/** A named password policy; {@code default} applies to every device not covered by another. */
public record Policy(String name, String account, int length, String complexity, int passphraseWords,
                     boolean excludeLookalikes, int maxAgeDays, int checkInSeconds, int historyKeep,
                     int historyDays) {
    public static final String DEFAULT = "default";

    public static Policy defaults(String name) {
        return new Policy(name, "", 20, "full", 0, true, 30, 3600, 10, 90);
    }

    public AgentPolicy toAgentPolicy() {
        return new AgentPolicy(account, length, complexity, passphraseWords, excludeLookalikes, maxAgeDays, checkInSeconds);
    }
}
