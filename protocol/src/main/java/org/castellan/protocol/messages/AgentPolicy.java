package org.castellan.protocol.messages;

/**
 * What the agent must do, as the server's policy for this device says.
 *
 * @param account the local account to manage; empty means the platform's default (RID 500 on
 *     Windows; Linux and macOS need a name)
 * @param length password length in characters (character mode)
 * @param complexity {@code full} (upper, lower, digit, symbol) or {@code alphanumeric}
 * @param passphraseWords when above zero, a passphrase of that many words instead of characters
 * @param excludeLookalikes leave out characters people confuse when reading (0/O, 1/l/I)
 * @param maxAgeDays rotate once the password is older than this
 * @param checkInSeconds how often the agent checks in
 * @param accountOptions what the agent may do to make the account manageable; an answer without
 *     it (an older server) means {@link AccountOptions#NONE}
 * @param luks LUKS recovery passphrases (Linux); absent means {@link LuksPolicy#OFF}
 */
public record AgentPolicy(
        String account,
        int length,
        String complexity,
        int passphraseWords,
        boolean excludeLookalikes,
        int maxAgeDays,
        int checkInSeconds,
        AccountOptions accountOptions,
        LuksPolicy luks) {

    public AgentPolicy {
        if (accountOptions == null) {
            accountOptions = AccountOptions.NONE;
        }
        if (luks == null) {
            luks = LuksPolicy.OFF;
        }
    }

    /** A policy without LUKS settings (they are off). */
    public AgentPolicy(String account, int length, String complexity, int passphraseWords, boolean excludeLookalikes,
                       int maxAgeDays, int checkInSeconds, AccountOptions accountOptions) {
        this(account, length, complexity, passphraseWords, excludeLookalikes, maxAgeDays, checkInSeconds,
                accountOptions, LuksPolicy.OFF);
    }
}
