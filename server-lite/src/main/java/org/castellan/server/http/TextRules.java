package org.castellan.server.http;

import java.util.regex.Pattern;

/** Checks of free text coming from clients: lengths, and no control characters anywhere. */
public final class TextRules {
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9._-]{1,253}");

    private TextRules() {}

    public static boolean hasControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code text} has nothing but white space, counting every Unicode space (no-break,
     * em, ideographic...), which {@link String#isBlank()} does not.
     */
    public static boolean isBlank(String text) {
        return strip(text).isEmpty();
    }

    /** {@code text} without leading and trailing white space of any kind (see {@link #isBlank}). */
    public static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** Required short text such as a name: 1..max characters, printable. */
    public static String name(String value, String field, int max) {
        if (value == null || isBlank(value)) {
            throw ApiException.badRequest("invalid-" + field, "field '" + field + "' is required");
        }
        return optional(value, field, max);
    }

    private static final java.util.regex.Pattern ID_SHAPED = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * The name of something that can be referred to by name or by id (a user, a group, a channel):
     * as {@link #name}, and never shaped like an id, which the CLI would take as one.
     */
    public static String referenceName(String value, String field, int max) {
        String name = name(value, field, max);
        refuseIdShaped(name, field);
        return name;
    }

    /** 400 {@code invalid-FIELD} when {@code value} looks like an id (a UUID). */
    public static void refuseIdShaped(String value, String field) {
        if (value != null && ID_SHAPED.matcher(value).matches()) {
            throw ApiException.badRequest("invalid-" + field, "field '" + field + "' is shaped like an id (a UUID),"
                    + " so it could not be told apart from one; choose a name that is not");
        }
    }

    /**
     * A read-only field of a GET representation sent back in a PUT (get, change one field, put):
     * accepted when absent or equal to the current value, else 400 {@code read-only-FIELD}.
     */
    public static void readOnly(String field, Object sent, Object current) {
        if (sent != null && !sent.equals(current)) {
            throw ApiException.badRequest("read-only-" + field, "field '" + field + "' is read-only: it may be sent back"
                    + " as GET returned it (" + current + ") but not changed");
        }
    }

    /** Optional text: null stays null; otherwise at most max characters, printable. */
    public static String optional(String value, String field, int max) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            throw ApiException.badRequest("invalid-" + field, "field '" + field + "' is longer than " + max + " characters");
        }
        if (hasControlCharacters(value)) {
            throw ApiException.badRequest("invalid-" + field, "field '" + field + "' contains control characters");
        }
        return value;
    }

    public static String hostname(String value) {
        if (value == null || !HOSTNAME.matcher(value).matches()) {
            throw ApiException.badRequest("invalid-hostname",
                    "hostname must be 1-253 characters of letters, digits, '.', '_' and '-'");
        }
        return value;
    }

    /**
     * The reveal reason: optional, at most 500 characters, printable, without surrounding white
     * space. Nothing but white space is no reason: null, so a rule requiring one refuses it.
     */
    public static String reason(String value) {
        if (value == null) {
            return null;
        }
        String checked = optional(value, "reason", 500);
        String stripped = strip(checked);
        return stripped.isEmpty() ? null : stripped;
    }

    /** A reason that must be given (an explicit purge): 400 {@code reason-required} when absent or blank. */
    public static String requiredReason(String value) {
        String reason = reason(value);
        if (reason == null) {
            throw ApiException.badRequest("reason-required", "a reason is required (white space alone is none)");
        }
        return reason;
    }
}
