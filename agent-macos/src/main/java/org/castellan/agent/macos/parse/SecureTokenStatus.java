package org.castellan.agent.macos.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code sysadminctl -secureTokenStatus NAME}, which logs (on stderr, through NSLog) a line
 * such as {@code 2024-01-01 12:00:00.000 sysadminctl[123:4567] Secure token is ENABLED for user NAME}.
 * The NSLog prefix (date, time, pid, thread id) varies between releases and runs, so only the
 * sentence is matched.
 */
public enum SecureTokenStatus {
    ENABLED,
    DISABLED;

    private static final Pattern SENTENCE =
            Pattern.compile("Secure ?token is (ENABLED|DISABLED) for user (.+?)\\s*$", Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    /**
     * @param user the account asked about: a sentence about another user is not an answer
     */
    public static SecureTokenStatus parse(String output, String user) throws UnexpectedOutputException {
        Matcher matcher = SENTENCE.matcher(output);
        while (matcher.find()) {
            if (matcher.group(2).equals(user)) {
                return valueOf(matcher.group(1).toUpperCase(java.util.Locale.ROOT));
            }
        }
        throw new UnexpectedOutputException(
                "sysadminctl -secureTokenStatus " + user + " gave no status: " + UnexpectedOutputException.excerpt(output));
    }
}
