package org.castellan.agent.macos.account;

import java.util.regex.Pattern;

/**
 * macOS short names the agent accepts. Narrower than what macOS allows, on purpose: the name ends
 * up in record paths, dscl input lines and file names, where a space, slash or quote would change
 * their meaning.
 */
final class AccountNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,243}");

    private AccountNames() {}

    static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    static String requireValid(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("not a usable macOS account name: " + name);
        }
        return name;
    }
}
