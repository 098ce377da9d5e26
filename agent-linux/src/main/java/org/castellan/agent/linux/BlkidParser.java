package org.castellan.agent.linux;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code blkid -p -o export DEVICE}: {@code KEY=value} lines; a LUKS2 header gives TYPE, VERSION and UUID. */
final class BlkidParser {
    private BlkidParser() {}

    static Map<String, String> fields(String export) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : export.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return fields;
    }

    /** The LUKS UUID when the probe found a LUKS2 header; empty for LUKS1 (no tokens) and everything else. */
    static Optional<String> luks2Uuid(String export) {
        Map<String, String> f = fields(export);
        if ("crypto_LUKS".equals(f.get("TYPE")) && "2".equals(f.get("VERSION")) && f.get("UUID") != null
                && f.get("UUID").matches("[0-9a-fA-F-]{16,64}")) {
            return Optional.of(f.get("UUID").toLowerCase(java.util.Locale.ROOT));
        }
        return Optional.empty();
    }
}
