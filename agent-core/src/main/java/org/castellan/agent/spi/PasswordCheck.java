package org.castellan.agent.spi;

/**
 * Whether a password was proven to authenticate the account, and how (or why not). The detail is
 * for people and never holds the password.
 *
 * @param proven true only when the platform's own authentication accepted the password
 * @param detail how it was proven ({@code crypt(3) matches the shadow entry}) or why not
 */
public record PasswordCheck(boolean proven, String detail) {
    public static PasswordCheck proven(String how) {
        return new PasswordCheck(true, how);
    }

    public static PasswordCheck failed(String why) {
        return new PasswordCheck(false, why);
    }
}
