package org.castellan.server.http;

import java.util.regex.Pattern;

/**
 * The names people give things, checked in one place (documented in docs/api.md, "Names").
 *
 * <ul>
 *   <li>{@link #label}: registration keys, user groups, device groups, rules, notification
 *       channels and API tokens. 1-100 characters of ASCII letters and digits, space and
 *       {@code . _ - @ + ( )}; starting with a letter or digit, not ending with a space, no two
 *       spaces in a row. No other characters: no look-alike letters from other scripts, no
 *       {@code :} (it separates the kind from the name in references such as
 *       {@code user-group:help-desk}), no quotes, slashes or control characters; never shaped
 *       like an id (a UUID), which the CLI would take as one.</li>
 *   <li>{@link #userName}: user names, which people type to log in: the same without space,
 *       parentheses or {@code +}, at most 64.</li>
 *   <li>{@link #policyName}: policy names, which appear in URL paths: lowercase letters, digits
 *       and {@code -}, at most 64, starting with a letter or digit.</li>
 * </ul>
 */
public final class Names {
    public static final String LABEL_RULE = "1-100 characters of letters A-Z a-z, digits, space and . _ - @ + ( ),"
            + " starting with a letter or digit, not ending with a space, no two spaces in a row";
    public static final String USER_RULE = "1-64 characters of A-Z a-z 0-9 . _ @ -";
    public static final String POLICY_RULE = "1-64 characters of a-z, 0-9 and '-', starting with a letter or digit";
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9 ._@+()-]{0,98}[A-Za-z0-9._@+()-])?");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern POLICY = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private Names() {}

    /** A required label in {@code field} (usually {@code name}): 400 {@code invalid-<field>} otherwise. */
    public static String label(String value, String field) {
        if (value == null || !LABEL.matcher(value).matches() || value.contains("  ")) {
            throw ApiException.badRequest("invalid-" + field, "field '" + field + "' must be " + LABEL_RULE);
        }
        // Every named thing can be referred to by name where an id is taken: a UUID-shaped name could not be told apart.
        TextRules.refuseIdShaped(value, field);
        return value;
    }

    public static boolean isUserName(String value) {
        return value != null && USER.matcher(value).matches();
    }

    public static String userName(String value, String field) {
        if (!isUserName(value)) {
            throw ApiException.badRequest("invalid-" + field, "field '" + field + "' must be " + USER_RULE);
        }
        TextRules.refuseIdShaped(value, field);
        return value;
    }

    public static String policyName(String value) {
        if (value == null || !POLICY.matcher(value).matches()) {
            throw ApiException.badRequest("invalid-policy-name", "policy names are " + POLICY_RULE);
        }
        return value;
    }
}
