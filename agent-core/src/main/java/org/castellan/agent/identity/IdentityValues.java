package org.castellan.agent.identity;

import java.util.Locale;
import java.util.Optional;

/** Normalizes the values platforms read as machine identity sources. */
public final class IdentityValues {
    private IdentityValues() {}

    /**
     * A UUID in lower case, or empty when the text is none, or is a firmware placeholder (all
     * zeros, all F: many boards ship those, and they identify nothing).
     */
    public static Optional<String> uuid(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String uuid = text.strip().toLowerCase(Locale.ROOT);
        if (uuid.startsWith("{") && uuid.endsWith("}")) {
            uuid = uuid.substring(1, uuid.length() - 1);
        }
        if (!uuid.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            return Optional.empty();
        }
        String digits = uuid.replace("-", "");
        return digits.matches("0+") || digits.matches("f+") ? Optional.empty() : Optional.of(uuid);
    }
}
