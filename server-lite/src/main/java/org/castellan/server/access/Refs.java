package org.castellan.server.access;

import java.util.regex.Pattern;

/** Shared validation for the textual references used in rules ({@code user:ID}, {@code device:ID}). */
final class Refs {
    /** Ids are opaque tokens chosen by the storage layer: numbers or UUIDs fit. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final int MAX_QUOTED = 40;

    private Refs() {}

    static String requireId(String id, String what) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(what + " id is empty");
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " id " + quoteShort(id)
                    + " must be 1-64 characters of A-Z a-z 0-9 _ - starting with a letter or digit");
        }
        return id;
    }

    /**
     * Quotes user input for an error message, cut short and with control characters replaced, so
     * a huge or hostile value is never echoed whole (into logs or responses).
     */
    static String quoteShort(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        int n = Math.min(value.length(), MAX_QUOTED);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f || c == '"' || c == '\\' ? '?' : c);
        }
        out.append('"');
        if (value.length() > MAX_QUOTED) {
            out.append("… (").append(value.length()).append(" chars)");
        }
        return out.toString();
    }
}
