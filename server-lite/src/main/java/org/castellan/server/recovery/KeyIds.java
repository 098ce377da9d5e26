package org.castellan.server.recovery;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * BitLocker shows the first 8 hex digits of a protector GUID as the "recovery key ID". Ids are
 * compared as lowercase hex digits with braces and hyphens dropped, so {@code {1A2B3C4D-…}},
 * {@code 1a2b3c4d} and {@code 1A2B3C4D-5E6F} all find the same protector.
 */
public final class KeyIds {
    static final int MIN_PREFIX = 8;
    private static final Pattern HEX_ID = Pattern.compile("\\{?[0-9A-Fa-f-]+}?");

    private KeyIds() {}

    /** The hex form of a protector id, or null when it is not a hex identifier. */
    public static String hex(String protectorId) {
        if (!HEX_ID.matcher(protectorId).matches()) {
            return null;
        }
        String hex = digits(protectorId);
        return hex.isEmpty() ? null : hex;
    }

    /** The searchable prefix, or null when the query is not 8..32 hex digits (braces, hyphens, case ignored). */
    public static String prefix(String query) {
        if (query == null || query.length() > 40 || !HEX_ID.matcher(query.strip()).matches()) {
            return null;
        }
        String hex = digits(query.strip());
        return hex.length() >= MIN_PREFIX && hex.length() <= 32 ? hex : null;
    }

    private static String digits(String id) {
        return id.replace("{", "").replace("}", "").replace("-", "").toLowerCase(Locale.ROOT);
    }
}
