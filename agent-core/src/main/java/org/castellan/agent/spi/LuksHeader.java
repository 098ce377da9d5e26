package org.castellan.agent.spi;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a LUKS2 header says about its keys.
 *
 * @param activeSlots key slots in use
 * @param tokens every token, Castellan's and others'
 */
public record LuksHeader(Set<Integer> activeSlots, List<LuksToken> tokens) {
    /** LUKS2 has 32 key slots. */
    public static final int SLOTS = 32;

    public LuksHeader {
        activeSlots = Set.copyOf(activeSlots);
        tokens = List.copyOf(tokens);
    }

    public List<LuksToken> castellanTokens() {
        return tokens.stream().filter(LuksToken::castellan).toList();
    }

    public Optional<LuksToken> castellanToken(String protectorId) {
        return castellanTokens().stream().filter(t -> t.protectorId().equals(protectorId)).findFirst();
    }

    /** Tokens of any kind bound to {@code slot}. */
    public List<LuksToken> tokensOf(int slot) {
        return tokens.stream().filter(t -> t.keyslots().contains(slot)).toList();
    }

    /** The lowest free key slot, or -1 when all are in use. */
    public int freeSlot() {
        for (int slot = 0; slot < SLOTS; slot++) {
            if (!activeSlots.contains(slot)) {
                return slot;
            }
        }
        return -1;
    }
}
