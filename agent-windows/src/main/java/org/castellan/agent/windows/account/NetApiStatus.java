package org.castellan.agent.windows.account;

import java.util.Map;
import org.castellan.agent.spi.PlatformException;

/**
 * Turns NET_API_STATUS values (lmerr.h, winerror.h) into {@link PlatformException}s with a stable
 * code and a message that says what was attempted. Unknown values keep the operation's own failure
 * code and show the status in hex, so nothing is ever reported as success.
 */
public final class NetApiStatus {
    public static final int NERR_SUCCESS = 0;
    public static final int ERROR_ACCESS_DENIED = 5;
    public static final int ERROR_INVALID_PASSWORD = 86;
    public static final int ERROR_INVALID_PARAMETER = 87;
    public static final int ERROR_PASSWORD_RESTRICTION = 1325;
    public static final int ERROR_MEMBER_NOT_IN_ALIAS = 1377;
    public static final int ERROR_MEMBER_IN_ALIAS = 1378;
    public static final int ERROR_NO_SUCH_MEMBER = 1387;
    public static final int NERR_BAD_USERNAME = 2202;
    public static final int NERR_BAD_PASSWORD = 2203;
    public static final int NERR_GROUP_NOT_FOUND = 2220;
    public static final int NERR_USER_NOT_FOUND = 2221;
    public static final int NERR_USER_EXISTS = 2224;
    public static final int NERR_NOT_PRIMARY = 2226;
    public static final int NERR_PASSWORD_HIST_CONFLICT = 2244;
    public static final int NERR_PASSWORD_TOO_SHORT = 2245;
    public static final int NERR_INVALID_COMPUTER = 2351;

    private record Meaning(String code, String description) {}

    // NERR_PasswordTooShort is what Windows returns for any local password-policy failure
    // (length, complexity, history, minimum age), hence the broad description.
    private static final Map<Integer, Meaning> MEANINGS = Map.ofEntries(
            Map.entry(ERROR_ACCESS_DENIED, new Meaning("access-denied",
                    "access denied (the agent must run as SYSTEM or an administrator)")),
            Map.entry(NERR_PASSWORD_TOO_SHORT, new Meaning("password-policy",
                    "the password does not meet the local password policy (length, complexity, history or minimum age)")),
            Map.entry(NERR_PASSWORD_HIST_CONFLICT, new Meaning("password-policy",
                    "the password was used before (password history)")),
            Map.entry(ERROR_PASSWORD_RESTRICTION, new Meaning("password-policy",
                    "the password does not meet the length, complexity or history requirements")),
            Map.entry(NERR_BAD_PASSWORD, new Meaning("password-rejected", "the password is not valid")),
            Map.entry(ERROR_INVALID_PASSWORD, new Meaning("password-rejected", "the password is not valid")),
            Map.entry(NERR_USER_NOT_FOUND, new Meaning("account-missing", "the account does not exist")),
            Map.entry(NERR_BAD_USERNAME, new Meaning("account-missing", "the account name is not valid")),
            Map.entry(NERR_USER_EXISTS, new Meaning("account-exists", "the account already exists")),
            Map.entry(NERR_GROUP_NOT_FOUND, new Meaning("group-missing", "the local group does not exist")),
            Map.entry(ERROR_NO_SUCH_MEMBER, new Meaning("account-missing", "the member SID does not resolve to an account")),
            Map.entry(NERR_NOT_PRIMARY, new Meaning("domain-controller",
                    "the operation is only allowed on the primary domain controller")));

    private NetApiStatus() {}

    /**
     * Returns normally on success; otherwise throws.
     *
     * @param failureCode the code used for statuses without a specific meaning, e.g. {@code set-password-failed}
     * @param what what was attempted, e.g. {@code set password of account Administrator}
     */
    public static void check(int status, String failureCode, String what) throws PlatformException {
        if (status != NERR_SUCCESS) {
            throw toException(status, failureCode, what);
        }
    }

    public static PlatformException toException(int status, String failureCode, String what) {
        Meaning meaning = MEANINGS.get(status);
        String code = meaning == null ? failureCode : meaning.code();
        String description = meaning == null ? "failed" : meaning.description();
        return new PlatformException(code, what + ": " + description + " (" + hex(status) + ")");
    }

    /** {@code NET_API_STATUS 0x000008C5 (2245)}. */
    static String hex(int status) {
        return String.format("NET_API_STATUS 0x%08X (%d)", status, status);
    }
}
