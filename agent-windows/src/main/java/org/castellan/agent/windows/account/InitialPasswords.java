package org.castellan.agent.windows.account;

import java.security.SecureRandom;
import org.castellan.protocol.Secret;

/**
 * The throw-away password a newly created account starts with. Nobody ever learns it: the agent
 * wipes it at once, reports the account as {@code needs-first-password}, and the normal rotation
 * (escrow first, then set) gives the account its first known password.
 */
final class InitialPasswords {
    private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
    private static final String DIGITS = "23456789";
    private static final String SYMBOLS = "!#%+-.=?^_~";
    private static final int LENGTH = 32;

    private InitialPasswords() {}

    static Secret generate(SecureRandom random) {
        char[] chars = new char[LENGTH];
        String all = UPPER + LOWER + DIGITS + SYMBOLS;
        // One of each class first, so any complexity policy is met; then shuffle.
        chars[0] = pick(UPPER, random);
        chars[1] = pick(LOWER, random);
        chars[2] = pick(DIGITS, random);
        chars[3] = pick(SYMBOLS, random);
        for (int i = 4; i < LENGTH; i++) {
            chars[i] = pick(all, random);
        }
        for (int i = LENGTH - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            char t = chars[i];
            chars[i] = chars[j];
            chars[j] = t;
        }
        return Secret.adopt(chars);
    }

    private static char pick(String alphabet, SecureRandom random) {
        return alphabet.charAt(random.nextInt(alphabet.length()));
    }
}
