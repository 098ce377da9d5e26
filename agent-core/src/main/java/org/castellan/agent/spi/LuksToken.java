package org.castellan.agent.spi;

import java.time.Instant;
import java.util.List;

/**
 * A LUKS2 header token. Castellan's are of type {@value #TYPE} and name the protector id the
 * server holds the key under; tokens of any other type belong to someone else.
 *
 * @param id token number in the header (-1 before import)
 * @param keyslots the key slots it is bound to
 * @param protectorId Castellan's id of the key (null for other types)
 * @param created when Castellan added the slot (null for other types, or unknown)
 */
public record LuksToken(int id, String type, List<Integer> keyslots, String protectorId, Instant created) {
    public static final String TYPE = "castellan";

    public LuksToken {
        keyslots = List.copyOf(keyslots);
    }

    public boolean castellan() {
        return TYPE.equals(type) && protectorId != null;
    }
}
