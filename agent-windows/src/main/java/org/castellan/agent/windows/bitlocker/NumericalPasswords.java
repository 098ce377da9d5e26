package org.castellan.agent.windows.bitlocker;

/**
 * The BitLocker recovery ("numerical") password format: 48 digits in 8 blocks of 6, dash
 * separated. Each block is 11 × a 16-bit value, so it is divisible by 11 and below 720896; a value
 * that breaks this is corrupt (or not a recovery password) and must not be escrowed as one.
 */
public final class NumericalPasswords {
    static final int BLOCKS = 8;
    static final int BLOCK_DIGITS = 6;
    static final int MAX_BLOCK = 65535 * 11;

    private NumericalPasswords() {}

    public static boolean isValid(char[] value) {
        if (value.length != BLOCKS * BLOCK_DIGITS + BLOCKS - 1) {
            return false;
        }
        for (int block = 0; block < BLOCKS; block++) {
            int start = block * (BLOCK_DIGITS + 1);
            if (block > 0 && value[start - 1] != '-') {
                return false;
            }
            int number = 0;
            for (int i = start; i < start + BLOCK_DIGITS; i++) {
                char c = value[i];
                if (c < '0' || c > '9') {
                    return false;
                }
                number = number * 10 + (c - '0');
            }
            if (number % 11 != 0 || number > MAX_BLOCK) {
                return false;
            }
        }
        return true;
    }
}
