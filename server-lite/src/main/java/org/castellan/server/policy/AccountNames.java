package org.castellan.server.policy;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.TextRules;

/**
 * Which local account names a policy may name, per operating system. Empty means the platform's
 * default account (RID 500 on Windows, root on Linux) and is always fine. Everywhere: no white
 * space of any kind, no control or format characters. Then:
 *
 * <ul>
 *   <li>linux: 1-32 of {@code A-Z a-z 0-9 . _ -}, not starting with {@code -}, {@code .} or a
 *       digit (what useradd and the shadow tools accept portably; 32 is utmp's limit);</li>
 *   <li>macos: 1-64 of {@code A-Z a-z 0-9 . _ -}, starting with a letter or {@code _} (a short
 *       name dscl and sysadminctl take);</li>
 *   <li>windows: 1-20 characters (the SAM limit), any letter or digit (localised built-in names
 *       such as "Järjestelmänvalvoja" are letters), none of {@code " / \ [ ] : ; | = , + * ? < > @},
 *       not only dots.</li>
 * </ul>
 *
 * A policy reaches the systems of the device groups it is attached to ({@link #reachedBy}); one
 * not attached anywhere, and {@code default}, may reach every system, so its account must suit all.
 */
public final class AccountNames {
    public static final List<String> SYSTEMS = List.of("linux", "macos", "windows");
    private static final Pattern LINUX = Pattern.compile("[A-Za-z_][A-Za-z0-9._-]{0,31}");
    private static final Pattern MACOS = Pattern.compile("[A-Za-z_][A-Za-z0-9._-]{0,63}");
    private static final Pattern WINDOWS_FORBIDDEN = Pattern.compile("[\"/\\\\\\[\\]:;|=,+*?<>@]");

    private AccountNames() {}

    /** Why {@code account} is no account name on {@code os}, or null when it is one. */
    public static String problem(String account, String os) {
        if (account.isEmpty()) {
            return null;
        }
        for (int i = 0; i < account.length(); i++) {
            char c = account.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return "contains white space";
            }
        }
        if (TextRules.hasControlCharacters(account)) {
            return "contains control characters";
        }
        return switch (os) {
            case "linux" -> LINUX.matcher(account).matches() ? null
                    : "is not a Linux user name (1-32 of A-Z a-z 0-9 . _ -, starting with a letter or _)";
            case "macos" -> MACOS.matcher(account).matches() ? null
                    : "is not a macOS short name (1-64 of A-Z a-z 0-9 . _ -, starting with a letter or _)";
            case "windows" -> windowsProblem(account);
            default -> throw new IllegalArgumentException("unknown operating system " + os);
        };
    }

    private static String windowsProblem(String account) {
        if (account.codePointCount(0, account.length()) > 20) {
            return "is longer than the 20 characters of a Windows user name";
        }
        if (WINDOWS_FORBIDDEN.matcher(account).find() || account.chars().allMatch(c -> c == '.')) {
            return "is not a Windows user name (none of \" / \\ [ ] : ; | = , + * ? < > @, not only dots)";
        }
        return null;
    }

    /** 400 {@code invalid-account} unless {@code account} is an account name on each of {@code systems}. */
    public static void require(String account, Set<String> systems) {
        for (String os : SYSTEMS) {
            if (!systems.contains(os)) {
                continue;
            }
            String problem = problem(account, os);
            if (problem != null) {
                throw ApiException.badRequest("invalid-account", "field 'account' " + problem
                        + (systems.size() > 1 ? " (the policy may apply to " + String.join(", ",
                        SYSTEMS.stream().filter(systems::contains).toList()) + " devices)" : ""));
            }
        }
    }

    /**
     * The systems a device group sends its policy to: its {@code match.os} when that is all that
     * selects its devices, else any (explicit members and host-name matches can be of any system).
     */
    public static Set<String> reachedBy(String matchOs, boolean hasExplicitMembers) {
        return matchOs != null && !hasExplicitMembers ? Set.of(matchOs) : Set.copyOf(SYSTEMS);
    }
}
