package org.castellan.agent.macos.account;

import java.util.Arrays;
import org.castellan.protocol.Secret;

/** Removes secrets from a line of tool output before it goes into an exception message. */
final class Redaction {
    private Redaction() {}

    static String redact(String line, Secret... secrets) {
        char[] text = line.toCharArray();
        boolean leaked = false;
        for (Secret secret : secrets) {
            if (secret == null || secret.isCleared()) {
                continue;
            }
            char[] value = secret.chars();
            try {
                leaked |= value.length > 0 && indexOf(text, value) >= 0;
            } finally {
                Arrays.fill(value, '\0');
            }
        }
        return leaked ? "(an error line that quoted the password; withheld)" : line;
    }

    private static int indexOf(char[] text, char[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= text.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (text[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
