package org.castellan.agent.windows.account;

import org.castellan.agent.spi.PlatformException;

/** Checks a policy's account name against the rules for local Windows user names. */
public final class AccountNames {
    /** Local user names are at most 20 characters (SAM / NetUserAdd limit). */
    static final int MAX_LENGTH = 20;
    private static final String FORBIDDEN = "\"/\\[]:;|=,+*?<>@";

    private AccountNames() {}

    public static String requireValid(String name) throws PlatformException {
        String trimmed = name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_LENGTH || trimmed.endsWith(".")) {
            throw new PlatformException("account-unsupported",
                    "account name '" + trimmed + "' is not a valid local Windows user name (1-20 characters, not ending in '.')");
        }
        for (char c : trimmed.toCharArray()) {
            if (FORBIDDEN.indexOf(c) >= 0 || Character.isISOControl(c)) {
                throw new PlatformException("account-unsupported", "account name '" + trimmed
                        + "' is not a valid local Windows user name (no domain prefix and none of " + FORBIDDEN + ")");
            }
        }
        return trimmed;
    }
}
