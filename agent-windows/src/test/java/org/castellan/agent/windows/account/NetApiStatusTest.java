package org.castellan.agent.windows.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.castellan.agent.spi.PlatformException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NetApiStatusTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2245, password-policy",      // NERR_PasswordTooShort
        "2244, password-policy",      // NERR_PasswordHistConflict
        "1325, password-policy",      // ERROR_PASSWORD_RESTRICTION
        "2203, password-rejected",    // NERR_BadPassword
        "86, password-rejected",      // ERROR_INVALID_PASSWORD
        "2221, account-missing",      // NERR_UserNotFound
        "5, access-denied",           // ERROR_ACCESS_DENIED
        "2224, account-exists",       // NERR_UserExists
        "2220, group-missing",        // NERR_GroupNotFound
        "87, set-password-failed",    // ERROR_INVALID_PARAMETER: no specific meaning
        "2351, set-password-failed",  // NERR_InvalidComputer
    })
    void statusesMapToStableCodes(int status, String code) {
        PlatformException e = NetApiStatus.toException(status, "set-password-failed", "set password of account A");

        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).startsWith("set password of account A: ")
                .contains(String.format("0x%08X", status));
    }

    @Test
    void constantsHaveTheValuesOfLmerrH() {
        assertThat(NetApiStatus.NERR_BAD_PASSWORD).isEqualTo(2203);
        assertThat(NetApiStatus.NERR_USER_NOT_FOUND).isEqualTo(2221);
        assertThat(NetApiStatus.NERR_PASSWORD_HIST_CONFLICT).isEqualTo(2244);
        assertThat(NetApiStatus.NERR_PASSWORD_TOO_SHORT).isEqualTo(2245);
        // Cross-check against jna-platform's own copy of lmerr.h.
        assertThat(NetApiStatus.NERR_PASSWORD_TOO_SHORT).isEqualTo(com.sun.jna.platform.win32.LMErr.NERR_PasswordTooShort);
        assertThat(NetApiStatus.NERR_USER_EXISTS).isEqualTo(com.sun.jna.platform.win32.LMErr.NERR_UserExists);
        assertThat(NetApiStatus.ERROR_MEMBER_IN_ALIAS).isEqualTo(com.sun.jna.platform.win32.WinError.ERROR_MEMBER_IN_ALIAS);
        assertThat(NetApiStatus.ERROR_PASSWORD_RESTRICTION).isEqualTo(com.sun.jna.platform.win32.WinError.ERROR_PASSWORD_RESTRICTION);
        assertThat(NetApiStatus.ERROR_INVALID_PASSWORD).isEqualTo(com.sun.jna.platform.win32.WinError.ERROR_INVALID_PASSWORD);
    }

    @Test
    void successDoesNotThrow() {
        assertThatCode(() -> NetApiStatus.check(0, "x-failed", "x")).doesNotThrowAnyException();
    }

    @Test
    void unknownStatusUsesTheOperationsFailureCodeAndHex() {
        PlatformException e = NetApiStatus.toException(0x80070057, "create-account-failed", "create account x");

        assertThat(e.code()).isEqualTo("create-account-failed");
        assertThat(e.getMessage()).contains("0x80070057");
    }
}
