package org.castellan.agent.macos.parse;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses {@code dscl . -list /Users UniqueID}: one {@code name   uid} pair per line. */
public final class UserIdList {
    private UserIdList() {}

    public static Map<String, Long> parse(String output) throws UnexpectedOutputException {
        Map<String, Long> ids = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.strip().split("\\s+");
            // Some system records list several ids; the first is the one that counts for them,
            // but every listed id is taken so that none is handed out twice.
            if (fields.length < 2) {
                throw new UnexpectedOutputException("dscl list /Users UniqueID: bad line " + UnexpectedOutputException.excerpt(line));
            }
            for (int i = 1; i < fields.length; i++) {
                try {
                    ids.put(i == 1 ? fields[0] : fields[0] + "#" + i, Long.parseLong(fields[i]));
                } catch (NumberFormatException e) {
                    throw new UnexpectedOutputException("dscl list /Users UniqueID: bad id in " + UnexpectedOutputException.excerpt(line), e);
                }
            }
        }
        return ids;
    }
}
