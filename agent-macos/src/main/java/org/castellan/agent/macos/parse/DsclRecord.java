package org.castellan.agent.macos.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one attribute from {@code dscl . -read PATH KEY} output. Short values print as
 * {@code KEY: value}; long or multi-line values (plists) print as {@code KEY:} followed by lines
 * indented by one space. Native attributes may carry a {@code dsAttrTypeNative:} prefix.
 */
public final class DsclRecord {
    private static final String NATIVE = "dsAttrTypeNative:";

    private DsclRecord() {}

    public static Optional<String> attribute(String output, String key) {
        String[] lines = output.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String name = line.startsWith(NATIVE) ? line.substring(NATIVE.length()) : line;
            if (!name.startsWith(key + ":")) {
                continue;
            }
            String rest = name.substring(key.length() + 1);
            if (!rest.isBlank()) {
                return Optional.of(rest.strip());
            }
            List<String> value = new ArrayList<>();
            for (int j = i + 1; j < lines.length && lines[j].startsWith(" "); j++) {
                value.add(lines[j].substring(1));
            }
            return value.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", value));
        }
        return Optional.empty();
    }

    /** The numeric id from {@code dscl . -read /Users/NAME UniqueID}. */
    public static String uniqueId(String output, String user) throws UnexpectedOutputException {
        Optional<String> value = attribute(output, "UniqueID");
        if (value.isEmpty() || !value.get().matches("-?\\d{1,10}")) {
            throw new UnexpectedOutputException(
                    "dscl read UniqueID of " + user + ": " + UnexpectedOutputException.excerpt(output));
        }
        return value.get();
    }
}
