package org.castellan.agent.macos.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code dseditgroup -o checkmember -m NAME GROUP}: {@code yes NAME is a member of GROUP}
 * (exit 0) or {@code no NAME is NOT a member of GROUP} (non-zero exit). Anything else (unknown user
 * or group) is an error, not a "no".
 */
public final class GroupMembership {
    private static final Pattern ANSWER =
            Pattern.compile("^(yes|no) (\\S+) is (NOT )?a member of (\\S+)\\s*$", Pattern.MULTILINE);

    private GroupMembership() {}

    public static boolean isMember(int exitCode, String output, String user, String group) throws UnexpectedOutputException {
        Matcher matcher = ANSWER.matcher(output);
        while (matcher.find()) {
            if (!matcher.group(2).equals(user) || !matcher.group(4).equals(group)) {
                continue;
            }
            boolean yes = matcher.group(1).equals("yes") && matcher.group(3) == null;
            boolean no = matcher.group(1).equals("no") && matcher.group(3) != null;
            // The exit code must agree with the sentence; a mismatch means we misread the tool.
            if (yes && exitCode == 0) {
                return true;
            }
            if (no && exitCode != 0) {
                return false;
            }
        }
        throw new UnexpectedOutputException("dseditgroup -o checkmember -m " + user + " " + group
                + " (exit " + exitCode + "): " + UnexpectedOutputException.excerpt(output));
    }
}
