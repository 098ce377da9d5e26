package org.castellan.protocol.messages;

/**
 * What the policy says about LUKS volumes (Linux): whether the agent keeps a Castellan recovery
 * passphrase in a key slot of each LUKS2 volume, and where it finds a passphrase that already
 * unlocks them (needed to add a slot).
 *
 * @param enabled off by default: the agent touches no volume
 * @param unlockKeyFile absolute path of a root-only file holding a passphrase that unlocks the
 *     volumes (its exact bytes, as crypttab key files); empty means none, and the agent then
 *     reports {@code luks-needs-unlock-key} and changes nothing
 * @param maxAgeDays the Castellan passphrase is replaced once it is older than this
 */
public record LuksPolicy(boolean enabled, String unlockKeyFile, int maxAgeDays) {
    public static final LuksPolicy OFF = new LuksPolicy(false, "", 180);

    public LuksPolicy {
        if (unlockKeyFile == null) {
            unlockKeyFile = "";
        }
    }
}
