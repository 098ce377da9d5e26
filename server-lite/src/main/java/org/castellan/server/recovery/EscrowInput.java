package org.castellan.server.recovery;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.castellan.protocol.messages.EscrowedRecoveryKey;
import org.castellan.protocol.messages.RecoveryKeyEscrowRequest;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.TextRules;

/**
 * Checks a {@link RecoveryKeyEscrowRequest} before anything is opened or written: every id and
 * label bounded and printable, no (volume, protector) pair twice. Errors name the field.
 */
public final class EscrowInput {
    static final int MAX_KEYS = 64;
    static final int MAX_VOLUMES = 64;
    static final int MAX_ID = 200;
    static final int MAX_LABEL = 200;

    private EscrowInput() {}

    public static List<EscrowedRecoveryKey> keys(RecoveryKeyEscrowRequest request) {
        if (request.keys() == null) {
            throw ApiException.badRequest("invalid-keys", "field 'keys' is required (an empty list when there are none)");
        }
        if (request.keys().size() > MAX_KEYS) {
            throw ApiException.badRequest("invalid-keys", "at most " + MAX_KEYS + " keys");
        }
        Set<List<String>> seen = new HashSet<>();
        List<EscrowedRecoveryKey> checked = new ArrayList<>();
        for (int i = 0; i < request.keys().size(); i++) {
            EscrowedRecoveryKey key = request.keys().get(i);
            if (key == null) {
                throw ApiException.badRequest("invalid-keys", "keys[" + i + "] is null");
            }
            String volumeId = required(key.volumeId(), "volumeId", i, MAX_ID);
            String protectorId = required(key.protectorId(), "protectorId", i, MAX_ID);
            String label = key.volumeLabel() == null ? null : bounded(key.volumeLabel(), "volumeLabel", i, MAX_LABEL);
            if (!seen.add(List.of(volumeId, protectorId))) {
                throw ApiException.badRequest("duplicate-protector",
                        "keys[" + i + "] repeats a volumeId and protectorId pair listed before it");
            }
            checked.add(new EscrowedRecoveryKey(volumeId, label, protectorId, key.envelope()));
        }
        return checked;
    }

    public static List<String> unprotectedVolumes(RecoveryKeyEscrowRequest request) {
        List<String> volumes = request.unprotectedVolumes();
        if (volumes == null) {
            return List.of();
        }
        if (volumes.size() > MAX_VOLUMES) {
            throw ApiException.badRequest("invalid-unprotectedVolumes", "at most " + MAX_VOLUMES + " unprotected volumes");
        }
        for (int i = 0; i < volumes.size(); i++) {
            String v = volumes.get(i);
            if (v == null || v.isBlank() || v.length() > MAX_LABEL || TextRules.hasControlCharacters(v)) {
                throw ApiException.badRequest("invalid-unprotectedVolumes", "unprotectedVolumes[" + i
                        + "] must be 1-" + MAX_LABEL + " characters without control characters");
            }
        }
        return List.copyOf(volumes);
    }

    private static String required(String value, String field, int index, int max) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("invalid-" + field, "field 'keys[" + index + "]." + field + "' is required");
        }
        return bounded(value, field, index, max);
    }

    private static String bounded(String value, String field, int index, int max) {
        if (value.length() > max) {
            throw ApiException.badRequest("invalid-" + field,
                    "field 'keys[" + index + "]." + field + "' is longer than " + max + " characters");
        }
        if (TextRules.hasControlCharacters(value)) {
            throw ApiException.badRequest("invalid-" + field,
                    "field 'keys[" + index + "]." + field + "' contains control characters");
        }
        return value;
    }
}
