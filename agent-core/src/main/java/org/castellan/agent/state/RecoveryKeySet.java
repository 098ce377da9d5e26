package org.castellan.agent.state;

import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Which recovery keys the server acknowledged last: identifiers only, never a key. The agent
 * compares the current scan with it and sends the full set only when something changed.
 *
 * @param keys (volume, protector) pairs, sorted
 * @param unprotectedVolumes encrypted volumes without a recovery key, sorted
 */
public record RecoveryKeySet(List<KeyRef> keys, List<String> unprotectedVolumes) {
    public record KeyRef(String volumeId, String protectorId) {}

    private static final Comparator<KeyRef> ORDER =
            Comparator.comparing(KeyRef::volumeId).thenComparing(KeyRef::protectorId);

    public RecoveryKeySet {
        // Sorted and de-duplicated, so equality does not depend on the order a scan reports in.
        TreeSet<KeyRef> sortedKeys = new TreeSet<>(ORDER);
        sortedKeys.addAll(keys == null ? List.of() : keys);
        keys = List.copyOf(sortedKeys);
        unprotectedVolumes = List.copyOf(new TreeSet<>(unprotectedVolumes == null ? List.of() : unprotectedVolumes));
    }
}
