package org.castellan.agent.windows.account;

import org.castellan.agent.spi.PasswordCheck;

/**
 * What a network {@code LogonUser} answer says about a password. Success proves it; so does
 * {@code ERROR_LOGON_TYPE_NOT_GRANTED} (1385), which hardened baselines ("Deny access to this
 * computer from the network" for local administrators) return only once the password matched.
 *
 * <p>For a local account the logon goes to MSV1_0, which checks the password first and the
 * account's state after: disabled (1331), expired (1793), password expired (1330) or to be changed
 * (1907) are reported only for the right password, a wrong one gets 1326. Those count as proof, so
 * that the built-in Administrator, disabled by default, can be rotated. This ordering is documented
 * behaviour of NTLM but has NOT been observed here (no Windows); the selftest checks it on its
 * throwaway account ({@code disabled-account-check}) on every machine it runs on. A locked-out
 * account (1909) is refused before the password is looked at, and proves nothing.
 */
final class LogonResults {
    static final int ERROR_SUCCESS = 0;
    static final int ERROR_LOGON_FAILURE = 1326;
    static final int ERROR_ACCOUNT_RESTRICTION = 1327;
    static final int ERROR_ACCOUNT_DISABLED = 1331;
    static final int ERROR_PASSWORD_EXPIRED = 1330;
    static final int ERROR_LOGON_TYPE_NOT_GRANTED = 1385;
    static final int ERROR_ACCOUNT_LOCKED_OUT = 1909;
    static final int ERROR_PASSWORD_MUST_CHANGE = 1907;
    static final int ERROR_ACCOUNT_EXPIRED = 1793;

    private LogonResults() {}

    static PasswordCheck interpret(int error) {
        return switch (error) {
            case ERROR_SUCCESS -> PasswordCheck.proven("LogonUser (network logon) accepts it");
            case ERROR_LOGON_TYPE_NOT_GRANTED -> PasswordCheck.proven("LogonUser accepted the password but this machine "
                    + "denies local accounts network logon (ERROR_LOGON_TYPE_NOT_GRANTED 1385), which counts as proof");
            case ERROR_ACCOUNT_DISABLED, ERROR_ACCOUNT_EXPIRED, ERROR_PASSWORD_EXPIRED, ERROR_PASSWORD_MUST_CHANGE ->
                    PasswordCheck.proven("LogonUser accepted the password but refused the logon for the account's state ("
                            + name(error) + "), which a local logon reports only after the password matched");
            case ERROR_LOGON_FAILURE -> PasswordCheck.failed("LogonUser refuses the password (ERROR_LOGON_FAILURE 1326)");
            case ERROR_ACCOUNT_LOCKED_OUT -> PasswordCheck.failed("the account is locked out (ERROR_ACCOUNT_LOCKED_OUT 1909),"
                    + " so LogonUser did not look at the password");
            case ERROR_ACCOUNT_RESTRICTION -> PasswordCheck.failed("an account restriction refuses the logon (ERROR_ACCOUNT_RESTRICTION 1327)");
            default -> PasswordCheck.failed("LogonUser failed with Win32 error " + error);
        };
    }

    static String name(int error) {
        return switch (error) {
            case ERROR_ACCOUNT_DISABLED -> "ERROR_ACCOUNT_DISABLED 1331";
            case ERROR_ACCOUNT_EXPIRED -> "ERROR_ACCOUNT_EXPIRED 1793";
            case ERROR_PASSWORD_EXPIRED -> "ERROR_PASSWORD_EXPIRED 1330";
            case ERROR_PASSWORD_MUST_CHANGE -> "ERROR_PASSWORD_MUST_CHANGE 1907";
            case ERROR_LOGON_FAILURE -> "ERROR_LOGON_FAILURE 1326";
            default -> "Win32 error " + error;
        };
    }
}
