package org.castellan.agent.state;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Which recovery keys the server acknowledged last: identifiers only, never a key. The agent
 * compares the current scan with it and sends the full set only when something changed.
 *
 * @param keys (volume, protector) pairs, sorted
 * @param unprotectedVolumes encrypted volumes without a recovery key, sorted
 */
public record RecoveryKeySet(List<KeyRef> keys, List<String> unprotectedVolumes) {
    public record KeyRef(String volumeId, String protectorId) {
        // Written out rather than generated: a record's generated equals and hashCode bootstrap
        // through invokedynamic on first use, spinning method-handle classes that no class-data
        // archive holds (~10 ms of every check-in, which compares the scan with the last set).
        @Override
        public boolean equals(Object other) {
            return other instanceof KeyRef that && Objects.equals(volumeId, that.volumeId)
                    && Objects.equals(protectorId, that.protectorId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(volumeId, protectorId);
        }
    }

    private static final Comparator<KeyRef> ORDER =
            Comparator.comparing(KeyRef::volumeId).thenComparing(KeyRef::protectorId);

    public RecoveryKeySet {
        // Sorted and de-duplicated, so equality does not depend on the order a scan reports in.
        TreeSet<KeyRef> sortedKeys = new TreeSet<>(ORDER);
        sortedKeys.addAll(keys == null ? List.of() : keys);
        keys = List.copyOf(sortedKeys);
        unprotectedVolumes = List.copyOf(new TreeSet<>(unprotectedVolumes == null ? List.of() : unprotectedVolumes));
    }

    // Written out for the reason given on KeyRef.
    @Override
    public boolean equals(Object other) {
        return other instanceof RecoveryKeySet that && keys.equals(that.keys)
                && unprotectedVolumes.equals(that.unprotectedVolumes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keys, unprotectedVolumes);
    }
}
