package org.castellan.agent.linux;

import java.util.Optional;

/** Parses {@code /etc/passwd} and {@code /etc/shadow} text (colon-separated, one account a line). */
final class PasswdParser {
    /** An {@code /etc/passwd} entry; no secret lives here (the hash is in shadow). */
    record PasswdEntry(String name, long uid, long gid, String home, String shell) {}

    private PasswdParser() {}

    static Optional<PasswdEntry> findUser(String passwdText, String name) {
        for (String line : passwdText.split("\\R")) {
            String[] fields = line.split(":", -1);
            if (fields.length < 7 || !fields[0].equals(name) || line.startsWith("#")
                    || line.startsWith("+") || line.startsWith("-")) {
                continue;
            }
            try {
                return Optional.of(new PasswdEntry(fields[0], Long.parseLong(fields[2]), Long.parseLong(fields[3]),
                        fields[5], fields[6]));
            } catch (NumberFormatException e) {
                return Optional.empty(); // A damaged line is no usable account.
            }
        }
        return Optional.empty();
    }

    /** The password hash field of {@code name} in shadow text (may be {@code !}, {@code *} or empty). */
    static Optional<String> shadowHash(String shadowText, String name) {
        for (String line : shadowText.split("\\R")) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 2 && fields[0].equals(name)) {
                return Optional.of(fields[1]);
            }
        }
        return Optional.empty();
    }
}
