package org.castellan.agent.linux;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The text of a just-in-time sudoers drop-in: the user may run anything as anyone until
 * {@code notAfter}, which sudo itself enforces ({@code NOTAFTER=YYYYMMDDHHMMSSZ}, sudo 1.9.x), so
 * the right ends on time even when the agent is not running. The user still authenticates as
 * sudo's defaults say.
 */
final class SudoersDropIn {
    /** Debian's NAME_REGEX without upper case: no sudoers alias or reserved word (ALL) can pass, nor a dot (sudo skips such files). */
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final DateTimeFormatter SUDO_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    static final String PREFIX = "castellan-jit-";

    private SudoersDropIn() {}

    static boolean validUser(String user) {
        return user != null && USER.matcher(user).matches();
    }

    /** {@code castellan-jit-USER}: no dot, so sudo's {@code @includedir} reads it (and skips the {@code .tmp} beside it). */
    static String fileName(String user) {
        return PREFIX + user;
    }

    static String sudoTime(Instant at) {
        return SUDO_TIME.format(at);
    }

    static String render(String user, Instant notAfter) {
        return "# Castellan just-in-time administrator rights for " + user + " until " + notAfter + ".\n"
                + "# Written and removed by castellan-agent; sudo itself refuses after NOTAFTER.\n"
                + user + " ALL=(ALL:ALL) NOTAFTER=" + sudoTime(notAfter) + " ALL\n";
    }
}
