package org.castellan.agent.windows.account;

import org.castellan.agent.spi.PasswordCheck;

/**
 * What a network {@code LogonUser} answer says about a password. Success proves it; so does
 * {@code ERROR_LOGON_TYPE_NOT_GRANTED} (1385), which hardened baselines ("Deny access to this
 * computer from the network" for local administrators) return only once the password matched.
 * Every other error leaves it unproven: a disabled or locked-out account cannot prove anything.
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

    private LogonResults() {}

    static PasswordCheck interpret(int error) {
        return switch (error) {
            case ERROR_SUCCESS -> PasswordCheck.proven("LogonUser (network logon) accepts it");
            case ERROR_LOGON_TYPE_NOT_GRANTED -> PasswordCheck.proven("LogonUser accepted the password but this machine "
                    + "denies local accounts network logon (ERROR_LOGON_TYPE_NOT_GRANTED 1385), which counts as proof");
            case ERROR_LOGON_FAILURE -> PasswordCheck.failed("LogonUser refuses the password (ERROR_LOGON_FAILURE 1326)");
            case ERROR_ACCOUNT_DISABLED -> PasswordCheck.failed("the account is disabled, so LogonUser cannot prove the "
                    + "password (ERROR_ACCOUNT_DISABLED 1331); enable it, e.g. with the policy's enableAccount");
            case ERROR_ACCOUNT_LOCKED_OUT -> PasswordCheck.failed("the account is locked out (ERROR_ACCOUNT_LOCKED_OUT 1909)");
            case ERROR_ACCOUNT_RESTRICTION -> PasswordCheck.failed("an account restriction refuses the logon (ERROR_ACCOUNT_RESTRICTION 1327)");
            case ERROR_PASSWORD_EXPIRED -> PasswordCheck.failed("the password is expired (ERROR_PASSWORD_EXPIRED 1330)");
            case ERROR_PASSWORD_MUST_CHANGE -> PasswordCheck.failed("the password must be changed at next logon (ERROR_PASSWORD_MUST_CHANGE 1907)");
            default -> PasswordCheck.failed("LogonUser failed with Win32 error " + error);
        };
    }
}
