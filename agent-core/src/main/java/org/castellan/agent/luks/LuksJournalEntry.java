package org.castellan.agent.luks;

import java.util.List;

/**
 * The LUKS key change in progress, written (fsync) before each step it announces. It holds no
 * secret: after a crash the new passphrase is gone from the agent, so an unfinished change is
 * undone (its slot removed, its key retired on the server), never guessed at.
 *
 * @param step {@link #ESCROWING} (the pending escrow may or may not have reached the server; no
 *     slot was touched), {@link #ADDING} (the slot may exist, possibly without its token), or
 *     {@link #COMMITTED} (the new key is current on the server; the old slots remain to be removed)
 * @param slot the key slot the new passphrase goes to (free when it was chosen)
 * @param replaces Castellan's previous slots of this volume, removed once the new one is committed
 */
public record LuksJournalEntry(String step, String volumeId, String device, int slot, String protectorId,
                               List<Replaced> replaces) {
    public static final String ESCROWING = "escrowing";
    public static final String ADDING = "adding";
    public static final String COMMITTED = "committed";

    /** A Castellan slot to remove after the commit, with its token and the protector id the server holds. */
    public record Replaced(int slot, int tokenId, String protectorId) {}

    public LuksJournalEntry {
        replaces = replaces == null ? List.of() : List.copyOf(replaces);
    }

    LuksJournalEntry at(String next) {
        return new LuksJournalEntry(next, volumeId, device, slot, protectorId, replaces);
    }
}
