package org.castellan.agent.luks;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.castellan.agent.AgentException;
import org.castellan.agent.client.ServerApi;
import org.castellan.agent.client.ServerException;
import org.castellan.agent.password.PasswordGenerator;
import org.castellan.agent.spi.LuksHeader;
import org.castellan.agent.spi.LuksToken;
import org.castellan.agent.spi.LuksVolume;
import org.castellan.agent.spi.LuksVolumes;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.messages.AccountOptions;
import org.castellan.protocol.messages.AgentPolicy;
import org.castellan.protocol.messages.LuksKeyEscrowRequest;
import org.castellan.protocol.messages.LuksKeyRef;
import org.castellan.protocol.messages.LuksPolicy;
import org.castellan.protocol.messages.VaultKey;

/**
 * Keeps one Castellan recovery passphrase in a key slot of each LUKS2 volume (promise 1 for disks):
 * the new passphrase is escrowed as pending before {@code luksAddKey}, test-opened after, then
 * committed; only then is the previous Castellan slot removed. Slots are Castellan's when a
 * {@code castellan} LUKS2 token names them; no other slot is ever touched. Without a usable unlock
 * key file nothing changes and {@value #NEEDS_UNLOCK_KEY} is reported.
 */
public final class LuksKeyKeeper {
    public static final String NEEDS_UNLOCK_KEY = "luks-needs-unlock-key";
    public static final String FAILED = "luks-key-failed";
    public static final String NO_FREE_SLOT = "luks-no-free-slot";
    /** Seven words from the generator's list: typed at a boot prompt, read over the phone. */
    static final AgentPolicy PASSPHRASE = new AgentPolicy("", 32, PasswordGenerator.ALPHANUMERIC, 7, true, 1, 3600,
            AccountOptions.NONE);

    /**
     * @param warnings short codes for the check-in's warnings list
     * @param notes what happened or failed, for the command's output (no secrets)
     * @param changed volumes whose Castellan key was added or replaced
     */
    public record Outcome(List<String> warnings, List<String> notes, List<String> changed) {}

    private final LuksVolumes volumes;
    private final ServerApi api;
    private final LuksJournal journal;
    private final PasswordGenerator generator;
    private final String deviceId;
    private final Clock clock;

    public LuksKeyKeeper(LuksVolumes volumes, ServerApi api, LuksJournal journal, PasswordGenerator generator,
                         String deviceId, Clock clock) {
        this.volumes = volumes;
        this.api = api;
        this.journal = journal;
        this.generator = generator;
        this.deviceId = deviceId;
        this.clock = clock;
    }

    /** One pass: finish or undo an interrupted change, then add or replace keys where due. Never throws. */
    public Outcome run(LuksPolicy policy, List<String> rotateRequested) {
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        Path unlockKey = policy.unlockKeyFile().isEmpty() ? null : Path.of(policy.unlockKeyFile());
        try {
            Optional<LuksJournalEntry> unfinished = journal.read();
            if (unfinished.isPresent() && !resolve(unfinished.get(), unlockKey, warnings, notes)) {
                return new Outcome(List.copyOf(warnings), List.copyOf(notes), changed);
            }
        } catch (AgentException e) {
            warnings.add(FAILED + ":journal");
            notes.add(e.getMessage());
            return new Outcome(List.copyOf(warnings), List.copyOf(notes), changed);
        }
        if (!policy.enabled()) {
            return new Outcome(List.copyOf(warnings), List.copyOf(notes), changed);
        }
        List<LuksVolume> found;
        try {
            found = volumes.list();
        } catch (PlatformException e) {
            warnings.add(FAILED + ":" + e.code());
            notes.add("list LUKS volumes: " + e.getMessage());
            return new Outcome(List.copyOf(warnings), List.copyOf(notes), changed);
        }
        for (LuksVolume volume : found) {
            try {
                LuksHeader header = volumes.header(volume);
                List<LuksToken> ours = header.castellanTokens();
                String why = due(ours, policy, Set.copyOf(rotateRequested));
                if (why == null) {
                    continue;
                }
                if (!unlockKeyUsable(unlockKey, notes, volume)) {
                    if (!warnings.contains(NEEDS_UNLOCK_KEY)) {
                        warnings.add(NEEDS_UNLOCK_KEY);
                    }
                    continue;
                }
                replace(volume, header, ours, unlockKey);
                changed.add(volume.uuid());
                notes.add("LUKS volume " + volume.device() + " (" + volume.uuid() + "): Castellan key " + why);
            } catch (PlatformException e) {
                warnings.add(FAILED + ":" + e.code());
                notes.add("LUKS volume " + volume.device() + ": " + e.code() + ": " + e.getMessage());
            } catch (AgentException e) {
                warnings.add(FAILED + ":escrow");
                notes.add("LUKS volume " + volume.device() + ": " + e.getMessage());
            }
        }
        return new Outcome(List.copyOf(warnings), List.copyOf(notes), List.copyOf(changed));
    }

    /** Why the volume needs a new Castellan key, or null when it does not. */
    private String due(List<LuksToken> ours, LuksPolicy policy, Set<String> rotateRequested) {
        if (ours.isEmpty()) {
            return "added";
        }
        for (LuksToken t : ours) {
            if (rotateRequested.contains(t.protectorId())) {
                return "replaced (read under a rotate-after-read rule)";
            }
            if (t.created() == null || t.created().plus(Duration.ofDays(policy.maxAgeDays())).isBefore(clock.instant())) {
                return "replaced (older than " + policy.maxAgeDays() + " days)";
            }
        }
        return ours.size() > 1 ? "replaced (more than one Castellan slot)" : null;
    }

    private boolean unlockKeyUsable(Path unlockKey, List<String> notes, LuksVolume volume) {
        if (unlockKey == null) {
            notes.add("LUKS volume " + volume.device() + ": the policy names no unlock key file; nothing changed");
            return false;
        }
        try {
            volumes.checkUnlockKeyFile(unlockKey);
            return true;
        } catch (PlatformException e) {
            notes.add("LUKS volume " + volume.device() + ": unlock key file " + unlockKey + ": " + e.getMessage()
                    + "; nothing changed");
            return false;
        }
    }

    private void replace(LuksVolume volume, LuksHeader header, List<LuksToken> ours, Path unlockKey)
            throws PlatformException, AgentException {
        int slot = header.freeSlot();
        if (slot < 0) {
            throw new PlatformException(NO_FREE_SLOT, "all " + LuksHeader.SLOTS + " key slots are in use");
        }
        List<LuksJournalEntry.Replaced> replaces = new ArrayList<>();
        for (LuksToken t : ours) {
            for (int s : t.keyslots()) {
                replaces.add(new LuksJournalEntry.Replaced(s, t.id(), t.protectorId()));
            }
        }
        String protectorId = "castellan-" + UUID.randomUUID();
        LuksJournalEntry entry = new LuksJournalEntry(LuksJournalEntry.ESCROWING, volume.uuid(), volume.device(), slot,
                protectorId, replaces);
        journal.write(entry);
        try (Secret passphrase = generator.generate(PASSPHRASE)) {
            escrowPending(volume, protectorId, passphrase);
            journal.write(entry.at(LuksJournalEntry.ADDING));
            volumes.addKey(volume, slot, unlockKey, passphrase);
            volumes.tagSlot(volume, slot, new LuksToken(-1, LuksToken.TYPE, List.of(slot), protectorId, clock.instant()));
            if (!volumes.opens(volume, slot, passphrase)) {
                throw new PlatformException("luks-test-failed", "the new passphrase does not open key slot " + slot);
            }
            try {
                api.commitLuksKey(new LuksKeyRef(volume.uuid(), protectorId));
            } catch (ServerException e) {
                throw new AgentException("commit LUKS key " + protectorId + " of " + volume.device(), e);
            }
            journal.write(entry.at(LuksJournalEntry.COMMITTED));
        } catch (PlatformException | AgentException | RuntimeException e) {
            // Undo now what a crash would leave for the next run; if that fails too, the journal stays.
            List<String> ignored = new ArrayList<>();
            try {
                Optional<LuksJournalEntry> current = journal.read();
                if (current.isPresent() && !current.get().step().equals(LuksJournalEntry.COMMITTED)) {
                    resolve(current.get(), unlockKey, ignored, ignored);
                }
            } catch (AgentException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        finishReplacement(entry.at(LuksJournalEntry.COMMITTED), unlockKey);
    }

    private void escrowPending(LuksVolume volume, String protectorId, Secret passphrase) throws AgentException {
        VaultKey vaultKey = vaultKey();
        byte[] utf8 = passphrase.utf8();
        try {
            api.escrowLuksKey(new LuksKeyEscrowRequest(volume.uuid(), volume.device(), protectorId,
                    SecretEnvelope.seal(vaultKey, AssociatedData.forRecoveryKey(deviceId, volume.uuid(), protectorId), utf8)));
        } catch (ServerException e) {
            throw new AgentException("escrow LUKS key of " + volume.device() + " as pending", e);
        } catch (Exception e) {
            throw new AgentException("seal LUKS key of " + volume.device() + " to vault key " + vaultKey.keyId(), e);
        } finally {
            java.util.Arrays.fill(utf8, (byte) 0);
        }
    }

    private VaultKey vaultKey;

    /** The vault key of this check-in; set before {@link #run}. */
    public LuksKeyKeeper withVaultKey(VaultKey key) {
        this.vaultKey = key;
        return this;
    }

    private VaultKey vaultKey() throws AgentException {
        if (vaultKey == null) {
            throw new AgentException("no vault key from the server's check-in answer");
        }
        return vaultKey;
    }

    /**
     * Finishes (committed) or undoes (not committed) the change the journal describes.
     *
     * @return true when the journal was cleared
     */
    private boolean resolve(LuksJournalEntry entry, Path unlockKey, List<String> warnings, List<String> notes)
            throws AgentException {
        try {
            if (entry.step().equals(LuksJournalEntry.COMMITTED)) {
                finishReplacement(entry, unlockKey);
                notes.add("LUKS volume " + entry.device() + ": finished replacing the Castellan key after an interruption");
                return true;
            }
            LuksVolume volume = new LuksVolume(entry.volumeId(), entry.device());
            LuksHeader header = volumes.header(volume);
            Optional<LuksToken> token = header.castellanToken(entry.protectorId());
            // The slot is ours when our token names it, or (only once adding had begun) when it is
            // active with no token at all: the agent stopped between luksAddKey and the token import.
            boolean slotIsOurs = header.activeSlots().contains(entry.slot())
                    && (token.map(t -> t.keyslots().contains(entry.slot())).orElse(false)
                        || (entry.step().equals(LuksJournalEntry.ADDING) && header.tokensOf(entry.slot()).isEmpty()));
            if (slotIsOurs || token.isPresent()) {
                if (unlockKey == null) {
                    warnings.add(NEEDS_UNLOCK_KEY);
                    notes.add("LUKS volume " + entry.device() + ": an interrupted key change left slot " + entry.slot()
                            + "; removing it needs the unlock key file");
                    return false;
                }
                volumes.checkUnlockKeyFile(unlockKey);
                if (slotIsOurs) {
                    volumes.removeSlot(volume, entry.slot(), unlockKey);
                }
                Optional<LuksToken> left = volumes.header(volume).castellanToken(entry.protectorId());
                if (left.isPresent()) {
                    volumes.removeToken(volume, left.get().id());
                }
            }
            retire(entry.volumeId(), entry.protectorId(), true);
            journal.clear();
            notes.add("LUKS volume " + entry.device() + ": undid an interrupted key change (slot " + entry.slot() + ")");
            return true;
        } catch (PlatformException e) {
            warnings.add(FAILED + ":" + e.code());
            notes.add("LUKS volume " + entry.device() + ": resolve interrupted key change: " + e.getMessage());
            return false;
        }
    }

    /** The new key is committed: remove the previous Castellan slots (only if their tokens still name them), retire their keys. */
    private void finishReplacement(LuksJournalEntry entry, Path unlockKey) throws AgentException {
        LuksVolume volume = new LuksVolume(entry.volumeId(), entry.device());
        try {
            for (LuksJournalEntry.Replaced old : entry.replaces()) {
                LuksHeader header = volumes.header(volume);
                Optional<LuksToken> token = header.castellanToken(old.protectorId());
                if (token.isPresent() && token.get().keyslots().contains(old.slot())
                        && header.activeSlots().contains(old.slot())) {
                    if (unlockKey == null) {
                        throw new PlatformException(NEEDS_UNLOCK_KEY, "removing the old Castellan slot needs the unlock key file");
                    }
                    volumes.removeSlot(volume, old.slot(), unlockKey);
                }
                Optional<LuksToken> left = volumes.header(volume).castellanToken(old.protectorId());
                if (left.isPresent()) {
                    volumes.removeToken(volume, left.get().id());
                }
                retire(entry.volumeId(), old.protectorId(), true);
            }
        } catch (PlatformException e) {
            throw new AgentException("remove the previous Castellan slot of " + entry.device() + ": " + e.code(), e);
        }
        journal.clear();
    }

    private void retire(String volumeId, String protectorId, boolean missingIsFine) throws AgentException {
        try {
            api.retireLuksKey(new LuksKeyRef(volumeId, protectorId));
        } catch (ServerException e) {
            if (!(missingIsFine && e.status() == 404)) {
                throw new AgentException("retire LUKS key " + protectorId + " on the server", e);
            }
        }
    }
}
